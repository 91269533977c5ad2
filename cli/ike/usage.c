#include "usage.h"

static const char *const lines[] = {
	[IKE_CMD_ACTIVATE] = "ike cmd=activate [phase=1|2] "
	    "[numlist=tunnel_num_list] [namelist=tunnel_name_list] "
	    "[remid=remote_id] [ipaddr=src_addr,dst_addr] [autostart]",
	[IKE_CMD_LIST] = "ike cmd=list [phase=1|1+|2] "
	    "[numlist=tunnel_num_list] [db | role=i|r] [verbose]",
	[IKE_CMD_REMOVE] = "ike cmd=remove [phase=1|2] "
	    "[numlist=tunnel_num_list] [all]",
	[IKE_CMD_LOG] = "ike cmd=log",
};

const char *
usage_line(enum ike_cmd cmd)
{
	if (cmd <= IKE_CMD_NONE || cmd > IKE_CMD_LOG)
		return NULL;
	return lines[cmd];
}

void
usage_print(FILE *f, enum ike_cmd cmd)
{
	int c;

	if (usage_line(cmd) != NULL) {
		fprintf(f, "usage: %s\n", usage_line(cmd));
		return;
	}
	for (c = IKE_CMD_ACTIVATE; c <= IKE_CMD_LOG; c++)
		fprintf(f, "%s %s\n", c == IKE_CMD_ACTIVATE ? "usage:" :
		    "      ", lines[c]);
}
