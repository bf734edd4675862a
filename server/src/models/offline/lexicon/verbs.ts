/**
 * The verbs tool names start with (`lookup_order`, `refund_order`), in the forms the offline
 * model's English sentences need. Data: a tool whose verb is not here reads as "check <name>".
 */
/** verb → [infinitive as written, past tense] */
export const VERBS: Record<string, [string, string]> = {
  lookup: ['look up', 'looked up'], get: ['get', 'got'], check: ['check', 'checked'], search: ['search', 'searched'],
  find: ['find', 'found'], list: ['list', 'listed'], fetch: ['fetch', 'fetched'], show: ['show', 'showed'],
  track: ['track', 'tracked'], view: ['view', 'viewed'], read: ['read', 'read'], query: ['query', 'queried'],
  refund: ['refund', 'refunded'], cancel: ['cancel', 'cancelled'], create: ['create', 'created'], update: ['update', 'updated'],
  send: ['send', 'sent'], book: ['book', 'booked'], reset: ['reset', 'reset'], delete: ['delete', 'deleted'],
  remove: ['remove', 'removed'], open: ['open', 'opened'], close: ['close', 'closed'], escalate: ['escalate', 'escalated'],
  apply: ['apply', 'applied'], schedule: ['schedule', 'scheduled'], submit: ['submit', 'submitted'], change: ['change', 'changed'],
  issue: ['issue', 'issued'], add: ['add', 'added'], set: ['set', 'set'], charge: ['charge', 'charged'], pay: ['pay', 'paid'],
  transfer: ['transfer', 'transferred'], approve: ['approve', 'approved'], report: ['report', 'reported'], file: ['file', 'filed'],
  resend: ['resend', 'resent'], upgrade: ['upgrade', 'upgraded'], downgrade: ['downgrade', 'downgraded'], modify: ['modify', 'modified'],
  reserve: ['reserve', 'reserved'], hold: ['hold', 'held'], buy: ['buy', 'bought'],
};

/** Verbs that only read: calling them on a hunch is harmless. Every other known verb changes something. */
export const READ_VERBS = new Set(['lookup', 'get', 'check', 'search', 'find', 'list', 'fetch', 'show', 'track', 'view', 'read', 'query']);
