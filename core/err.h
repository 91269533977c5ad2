/* core/err.h: error codes shared by every module.
 * Functions return 0 or one of these negative values, and write their
 * out-parameters only on success. */
#ifndef IKE_ERR_H
#define IKE_ERR_H

enum ike_err {
	IKE_OK = 0,
	IKE_ENOMEM = -1,	/* allocation failed */
	IKE_ESHORT = -2,	/* input ended early */
	IKE_EMALFORMED = -3,	/* input breaks the format */
	IKE_EUNSUPP = -4,	/* valid but not supported */
	IKE_ENOTFOUND = -5,	/* no such object */
	IKE_EEXIST = -6,	/* object exists already */
	IKE_ESTATE = -7,	/* not allowed in the current state */
	IKE_ESYS = -8,		/* system call failed (errno logged) */
	IKE_EKERNEL = -9,	/* kernel refused a request */
	IKE_EDB = -10,		/* database error */
	IKE_EINVAL = -11,	/* invalid argument or value */
	IKE_EBUSY = -12,	/* object still referenced or in use */
	IKE_ENOSPC = -13,	/* a limit or the disk is full */
};

/* Static string naming err; never NULL. */
const char *ike_strerror(int err);

#endif
