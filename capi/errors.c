// The per-thread error message behind sciadapt_last_error (like errno). Written
// in C because Go has no thread-local storage; Go sets it through
// sciadapt_set_last_error from the thread that made the failing call.
#include <string.h>

#include "sciadapt.h"

static _Thread_local char last_error[1024];

const char *sciadapt_last_error(void) { return last_error; }

// Hidden: callable from the library's Go code, not exported to its users.
__attribute__((visibility("hidden"))) void sciadapt_set_last_error(const char *msg) {
	strncpy(last_error, msg, sizeof last_error - 1);
	last_error[sizeof last_error - 1] = '\0';
}
