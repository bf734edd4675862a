import { formatBytes } from '../state/attachments.ts';

/*
 * The English table is the reference: `UiStrings` is its shape, so every other language must
 * give every key (a missing or extra key is a type error). Texts that carry values are
 * functions, so each language puts the values where its grammar wants them.
 */
const en = {
  // launcher and header
  openChat: 'Open chat',
  closeChat: 'Close chat',
  defaultTitle: 'Chat',
  statusOffline: 'Offline',
  statusConnecting: 'Connecting…',
  statusOnline: 'Online',
  statusReconnecting: 'Reconnecting…',
  statusUnavailable: 'Unavailable',
  newConversation: 'New conversation',
  conversationOptions: 'Conversation options',
  deleteThis: 'Delete this conversation',
  deleteAll: 'Delete all my conversations',
  confirmDeleteThis: "Delete this conversation? This can't be undone.",
  confirmDeleteAll: "Delete all your conversations? This can't be undone.",
  delete: 'Delete',
  cancel: 'Cancel',
  // conversation
  conversation: 'Conversation',
  greeting: 'How can we help you today?',
  showEarlier: 'Show earlier messages',
  youSaid: 'You said:',
  speaker: (name: string) => `${name}:`,
  assistant: 'Assistant',
  theAssistant: 'The assistant',
  typing: (name: string) => `${name} is typing…`,
  sending: 'Sending…',
  notSent: 'Not sent.',
  retry: 'Retry',
  stoppedEarly: 'Stopped before the end.',
  handedOverTo: 'handed over to',
  blocked: 'This message was blocked.',
  copy: 'Copy',
  copied: 'Copied',
  copyCode: (language: string) => (language ? `Copy ${language} code` : 'Copy code'),
  // tool calls and approvals
  toolRunning: 'Running…',
  toolNeedsApproval: 'Needs approval',
  toolDone: 'Done',
  toolFailed: 'Failed',
  toolDenied: 'Denied',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  /** The approval card's title; `tool` is the tool's name, shown as code. */
  wantsToRun: <T>(who: string, tool: T): (string | T)[] => [`${who} wants to run `, tool],
  reasonOptional: 'Reason (optional)',
  approve: 'Approve',
  deny: 'Deny',
  back: 'Back',
  // status line
  waitSeconds: (n: number) => `${n} s`,
  waitMinutes: (n: number) => `${n} min`,
  tooQuick: (wait: string) => `You're sending messages too quickly. You can send again in ${wait}.`,
  tooManyConnections: (wait: string) => `Too many connections right now. Trying again in ${wait}.`,
  cantConnect: (detail: string) => `Can't connect. ${detail}`.trim(),
  connectionLost: 'Connection lost. Reconnecting…',
  somethingWrong: 'Something went wrong.',
  runFailed: 'Something went wrong. Please try again.',
  stopping: 'Stopping…',
  stopped: 'Stopped.',
  waitingApproval: 'Waiting for your approval.',
  maxTurns: 'The assistant gave up after too many steps. Try rephrasing.',
  unauthorized: "This chat can't verify who you are. Please reload the page or sign in again.",
  forbidden: "This chat isn't available on this page.",
  dismiss: 'Dismiss',
  unreachable: "We can't reach the chat right now. Please check your connection and try again.",
  workflowUnavailable: "This chat isn't available right now. Please try again later.",
  // composer
  message: 'Message',
  placeholder: 'Type a message…',
  placeholderConnecting: 'Connecting…',
  placeholderUnavailable: 'Chat unavailable',
  send: 'Send',
  stop: 'Stop',
  // files
  attachFiles: 'Attach files',
  /** Plain text files, in the list of accepted types ("PNG, PDF, text"). */
  typeText: 'text',
  attachedFiles: 'Attached files',
  dropFiles: 'Drop files to attach',
  fileSize: (bytes: number) => formatBytes(bytes),
  uploadingSize: (size: string) => `${size} · uploading`,
  uploadingFile: (name: string) => `Uploading ${name}`,
  remove: 'Remove',
  removeFile: (name: string) => `Remove ${name}`,
  openFile: (name: string) => `Open ${name}`,
  downloadFile: (name: string, size: string) => `Download ${name} (${size})`,
  closeImage: 'Close image',
  close: 'Close',
  typeRefused: (name: string, types: string) => `“${name}” can't be attached: only ${types} files are accepted.`,
  tooLarge: (name: string, size: string, limit: string) => `“${name}” is too large (${size}); the limit is ${limit}.`,
  tooMany: (max: number, left: number) =>
    `You can attach up to ${max} file${max === 1 ? '' : 's'} per message; ${left} ${left === 1 ? 'was' : 'were'} left out.`,
  uploadUnreachable: 'The upload failed: the server could not be reached.',
  uploadTooLarge: 'The file is too large for the server.',
  uploadFailed: (status: number) => `The upload failed (HTTP ${status}).`,
  uploadUnexpected: 'The server answered the upload with something unexpected.',
  uploadCancelled: 'Upload cancelled.',
  uploadReconnecting: 'Reconnecting to upload…',
  fileUnreachable: 'The file could not be loaded: the server could not be reached.',
  fileGone: 'This file is no longer available.',
};

type Widen<T> = T extends string ? string : T;

/** Every text the widget shows, as the English table has it: one table per language. */
export type UiStrings = { readonly [K in keyof typeof en]: Widen<(typeof en)[K]> };

export default en as UiStrings;
