/** The command-line commands `cli.ts` dispatches to (`agent-chat <command>`). */
export { type CommandIo, ExitCode } from './command-io.ts';
export { VALIDATE_USAGE, validateCommand } from './validate-command.ts';
export { BACKUP_USAGE, backupCommand } from './backup-command.ts';
export { MIGRATE_USAGE, migrateCommand } from './migrate-command.ts';
export { SERVE_USAGE, serveCommand } from './serve-command.ts';
export { EVAL_USAGE, evalCommand } from './eval-command.ts';
export { EVAL_EXPORT_USAGE, evalExportCommand } from './eval-export-command.ts';
export { USAGE_USAGE, usageCommand } from './usage-command.ts';
