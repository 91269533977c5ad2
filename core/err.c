#include "err.h"

const char *
ike_strerror(int err)
{
	switch (err) {
	case IKE_OK:		return "success";
	case IKE_ENOMEM:	return "out of memory";
	case IKE_ESHORT:	return "input truncated";
	case IKE_EMALFORMED:	return "malformed input";
	case IKE_EUNSUPP:	return "not supported";
	case IKE_ENOTFOUND:	return "not found";
	case IKE_EEXIST:	return "already exists";
	case IKE_ESTATE:	return "invalid state";
	case IKE_ESYS:		return "system error";
	case IKE_EKERNEL:	return "kernel error";
	case IKE_EDB:		return "database error";
	case IKE_EINVAL:	return "invalid argument";
	case IKE_EBUSY:		return "in use";
	case IKE_ENOSPC:	return "no space";
	}
	return "unknown error";
}
