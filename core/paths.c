#include "paths.h"

#include <stdlib.h>

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : def;
}

const char *
ike_path_db(void)
{
	return env_or("IKE_DB", IKE_DEFAULT_DB);
}

const char *
ike_path_socket(void)
{
	return env_or("IKE_SOCKET", IKE_DEFAULT_SOCKET);
}

const char *
ike_path_conf(void)
{
	return env_or("IKE_CONF", IKE_DEFAULT_CONF);
}
