/**
 * How the offline model sees a user message's attachments: it reads back the header each
 * attachment's text part starts with (`attachmentParts`), and acknowledges each file by name
 * and type, quoting the start of its text, so a demo without a key shows the whole path.
 */
import { readAttachmentHeader } from '../../attachments/prepared-attachment.ts';
import type { ModelContentPart } from '../model.ts';

/** An attachment as the offline model sees it. */
export interface SeenAttachment {
  name: string;
  /** "PDF", "image", "CSV"… */
  kind: string;
  /** Its text (empty for an image). */
  text: string;
}

const QUOTE_CHARS = 100;

/** The visitor's own words of a message: its text parts that are not attachments. */
export function userWords(content: string | readonly ModelContentPart[]): string {
  if (typeof content === 'string') return content;
  return content
    .flatMap((part) => (part.type === 'text' && !readAttachmentHeader(part.text) ? [part.text] : []))
    .join('\n\n');
}

/** The attachments of a message, in order. */
export function attachmentsOf(content: string | readonly ModelContentPart[]): SeenAttachment[] {
  if (typeof content === 'string') return [];
  return content.flatMap((part) => {
    const header = part.type === 'text' ? readAttachmentHeader(part.text) : undefined;
    return header ? [{ name: header.name, kind: header.kind, text: header.body }] : [];
  });
}

/** The first `max` characters, back to the last word boundary when there is one near the end. */
function cutAtWord(text: string, max: number): string {
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '');
}

/** One attachment in the acknowledgement: `report.pdf (PDF): “Quarterly revenue …”`. */
function describe(attachment: SeenAttachment): string {
  const label = `${attachment.name} (${attachment.kind})`;
  const text = attachment.text.replace(/\s+/g, ' ').trim();
  if (!text) return label;
  // A note in parentheses ("this PDF has no text layer…") is said as it is, not quoted.
  if (/^\([^()]*\)$/.test(text)) return `${label} ${text}`;
  const quote = text.length > QUOTE_CHARS ? `${cutAtWord(text, QUOTE_CHARS)} …` : text;
  return `${label}: “${quote}”`;
}

/** "I see 2 attachments: report.pdf (PDF): “Quarterly revenue …”; screenshot.png (image)." */
export function acknowledgeAttachments(attachments: readonly SeenAttachment[]): string {
  const count = attachments.length === 1 ? '1 attachment' : `${attachments.length} attachments`;
  return `I see ${count}: ${attachments.map(describe).join('; ')}.`;
}
