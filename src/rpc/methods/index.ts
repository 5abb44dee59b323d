/** The method table: QuarkChain's names; `private` marks QuarkChain's private-port methods. */
import type { MethodSpec, MethodTable } from '../context.js';
import { getBalances, getTransactionCount } from './account.js';
import { getMinorBlockById, getMinorBlockByHeight, getMiningConfig, getRootBlockById, getRootBlockByHeight, networkInfo } from './chain.js';
import { getWork, submitWork } from './mining.js';
import { getPeers } from './peers.js';
import { estimateGas, gasPrice, getAccountData, getFullShardIdByFullShardKey } from './quarkchain.js';
import { getNodeStatus } from './nodeStatus.js';
import { createTransactions, getConservation, getStats, setMining } from './private.js';
import { subscribe, unsubscribe } from './subscribe.js';
import { getTransactionById, getTransactionReceipt, sendRawTransaction, sendTransaction } from './tx.js';

export function methodTable(): MethodTable {
  const pub = (handler: MethodSpec['handler']): MethodSpec => ({ handler });
  const priv = (handler: MethodSpec['handler']): MethodSpec => ({ handler, private: true });
  return new Map<string, MethodSpec>([
    ['networkInfo', pub(networkInfo)],
    ['getMiningConfig', pub(getMiningConfig)],
    ['getWork', pub(getWork)],
    ['submitWork', pub(submitWork)],
    ['sendRawTransaction', pub(sendRawTransaction)],
    ['sendTransaction', pub(sendTransaction)],
    ['getTransactionCount', pub(getTransactionCount)],
    ['getBalances', pub(getBalances)],
    ['getTransactionById', pub(getTransactionById)],
    ['getTransactionReceipt', pub(getTransactionReceipt)],
    ['getMinorBlockByHeight', pub(getMinorBlockByHeight)],
    ['getMinorBlockById', pub(getMinorBlockById)],
    ['getRootBlockByHeight', pub(getRootBlockByHeight)],
    ['getRootBlockById', pub(getRootBlockById)],
    ['getPeers', pub(getPeers)],
    ['getAccountData', pub(getAccountData)],
    ['gasPrice', pub(gasPrice)],
    ['estimateGas', pub(estimateGas)],
    ['getFullShardIdByFullShardKey', pub(getFullShardIdByFullShardKey)],
    ['getNodeStatus', pub(getNodeStatus)],
    ['subscribe', pub(subscribe)],
    ['unsubscribe', pub(unsubscribe)],
    ['getStats', priv(getStats)],
    ['setMining', priv(setMining)],
    ['createTransactions', priv(createTransactions)],
    ['getConservation', priv(getConservation)],
  ]);
}
