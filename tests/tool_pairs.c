/*
 * tests/tool_pairs.c - the (address, protocol) pairs of a segscan result.
 *
 *     tool_pairs RESULT.json
 *
 * For each host, for each protocol in its "protocols", prints one line
 * "ADDRESS PROTOCOL" per address in its "ips", or with its "mac" when it
 * has no address. tests/run-protocols.sh compares these with the stored
 * tshark truth in tests/protocols/. Exit 0, or 2 on unreadable input.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s RESULT.json\n", argv[0]);
		return 2;
	}
	json_error_t err;
	json_t *root = json_load_file(argv[1], 0, &err);
	if (!root) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[1], err.line, err.column, err.text);
		return 2;
	}
	json_t *hosts = json_object_get(root, "hosts");
	size_t i, k, j;
	json_t *h, *p, *a;
	json_array_foreach(hosts, i, h)
	{
		json_t *protos = json_object_get(h, "protocols");
		json_t *ips = json_object_get(h, "ips");
		const char *mac = json_string_value(json_object_get(h, "mac"));
		json_array_foreach(protos, k, p)
		{
			const char *pn = json_string_value(p);
			if (!pn)
				continue;
			if (json_array_size(ips)) {
				json_array_foreach(ips, j, a) if (json_string_value(a))
				    printf("%s %s\n", json_string_value(a), pn);
			} else if (mac) {
				printf("%s %s\n", mac, pn);
			}
		}
	}
	json_decref(root);
	return 0;
}
