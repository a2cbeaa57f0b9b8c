#include "cli/cli.h"
int cmd_demo(int argc, char **argv, const struct config *cfg) { (void)argc; (void)argv; (void)cfg; return 1; }
int cmd_import(int argc, char **argv, const struct config *cfg) { (void)argc; (void)argv; (void)cfg; return 1; }
int cmd_export(int argc, char **argv, const struct config *cfg) { (void)argc; (void)argv; (void)cfg; return 1; }
