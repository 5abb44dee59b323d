/** Exit codes (DESIGN §12). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CHECK_FAILED = 3;
/** A long job cut short by a second Ctrl-C, or `bench` interrupted (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;
