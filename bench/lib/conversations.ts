import { replyText } from './token-source.ts';
import { BenchSocket, type Frame, inBatches } from './bench-socket.ts';

/** What one conversation measured at its client, in ms from its `message.send`. */
export interface ConversationTiming {
  /** Until `run.finished`. */
  total: number;
  /** Until the first `text.delta`. */
  firstDelta: number;
  /** Between consecutive `text.delta` arrivals. */
  gaps: number[];
}

/** A load run: every conversation's timing, and the time from the first send to the last finish. */
export interface ConversationsRun {
  timings: ConversationTiming[];
  wallMs: number;
}

/** A thread ready to take its message: its socket and the seq its next event must carry. */
interface Prepared {
  socket: BenchSocket;
  threadId: string;
  nextSeq: number;
}

/**
 * Opens `count` sockets, each a new visitor with one new thread of the bench workflow; then
 * every one sends its message at once and the answers are checked and timed at the client.
 * Throws if any conversation loses, reorders or changes an event, or does not complete.
 */
export async function runConversations(wsUrl: string, count: number, tokens: number, timeoutMs: number): Promise<ConversationsRun> {
  const prepared = await inBatches(Array.from({ length: count }), 50, async (): Promise<Prepared> => {
    const socket = await BenchSocket.open(wsUrl);
    const opened = await socket.request({ type: 'thread.create', workflow: 'bench' });
    if (opened.type !== 'thread.opened') throw new Error(`thread.create answered ${JSON.stringify(opened).slice(0, 200)}`);
    return { socket, threadId: (opened.thread as { id: string }).id, nextSeq: (opened.lastSeq as number) + 1 };
  });
  const expected = replyText(tokens);
  try {
    const started = performance.now();
    const timings = await Promise.all(prepared.map((p, index) => converse(p, index, expected, timeoutMs)));
    return { timings, wallMs: performance.now() - started };
  } finally {
    for (const p of prepared) p.socket.close();
  }
}

function converse({ socket, threadId, nextSeq }: Prepared, index: number, expected: string, timeoutMs: number): Promise<ConversationTiming> {
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    let lastDelta = 0;
    let firstDelta = -1;
    let text = '';
    /** Answers closed `incomplete`: the run was taken over by another instance and continued. */
    let incomplete = 0;
    const gaps: number[] = [];
    const fail = (why: string) => {
      clearTimeout(timer);
      socket.ws.off('close', onClose);
      socket.onFrame = () => {};
      reject(new Error(`conversation ${index} (${threadId}): ${why}`));
    };
    const timer = setTimeout(() => fail(`no run.finished in ${timeoutMs} ms`), timeoutMs);
    // Closed early by the server, or by the bench after another conversation failed.
    const onClose = () => fail('socket closed before run.finished');
    socket.ws.once('close', onClose);
    socket.onFrame = (frame: Frame, at: number) => {
      if (frame.threadId !== threadId) return;
      if (frame.seq !== nextSeq) return fail(`event ${frame.type} has seq ${String(frame.seq)}, expected ${nextSeq} (lost or reordered)`);
      nextSeq++;
      if (frame.type === 'item.done' && (frame.item as { status?: string }).status === 'incomplete') incomplete++;
      if (frame.type === 'text.delta') {
        if (firstDelta < 0) firstDelta = at - sentAt;
        else gaps.push(at - lastDelta);
        lastDelta = at;
        text += frame.delta as string;
      } else if (frame.type === 'run.finished') {
        clearTimeout(timer);
        socket.ws.off('close', onClose);
        if (frame.status !== 'completed') return fail(`run.finished with status ${String(frame.status)}`);
        if (text !== expected) {
          const why = incomplete > 0 ? `; ${incomplete} answer(s) closed incomplete: the run was taken over and continued` : '';
          return fail(`streamed text differs from the model's (${text.length} of ${expected.length} chars${why})`);
        }
        resolve({ total: at - sentAt, firstDelta, gaps });
      }
    };
    sentAt = performance.now();
    socket
      .request({ type: 'message.send', threadId, clientMessageId: `m${index}`, text: 'Write forty words.' }, timeoutMs)
      .then((accepted) => {
        if (accepted.type !== 'message.accepted') fail(`message.send answered ${JSON.stringify(accepted).slice(0, 200)}`);
      }, (error: Error) => fail(error.message));
  });
}
