/**
 * How the offline model sees a user message's attachments: it reads back the header each
 * attachment's text part starts with, and acknowledges each file by name and type, quoting the
 * start of its text, so a demo without a key shows the whole path.
 */
import { readAttachmentHeader } from '../../attachments/prepared-attachment.ts';
import type { ModelContentPart } from '../model.ts';

/** An attachment as the offline model sees it: its name, its kind ("PDF", "image"…) and its text (empty for an image). */
export type SeenAttachment = { name: string; kind: string; text: string };

const QUOTE_CHARS = 100;
type Content = string | readonly ModelContentPart[];

/** The visitor's own words of a message: its text parts that are not attachments. */
export function userWords(content: Content): string {
  if (typeof content === 'string') return content;
  return content.flatMap((part) => (part.type === 'text' && !readAttachmentHeader(part.text) ? [part.text] : [])).join('\n\n');
}

/** The attachments of a message, in order. */
export function attachmentsOf(content: Content): SeenAttachment[] {
  if (typeof content === 'string') return [];
  return content.flatMap((part) => {
    const header = part.type === 'text' ? readAttachmentHeader(part.text) : undefined;
    return header ? [{ name: header.name, kind: header.kind, text: header.body }] : [];
  });
}

/** One attachment: `report.pdf (PDF): “Quarterly revenue …”`; a note in parentheses ("no text layer…") is said as it is. */
function describe(attachment: SeenAttachment): string {
  const label = `${attachment.name} (${attachment.kind})`;
  const text = attachment.text.replace(/\s+/g, ' ').trim();
  if (!text) return label;
  if (/^\([^()]*\)$/.test(text)) return `${label} ${text}`;
  if (text.length <= QUOTE_CHARS) return `${label}: “${text}”`;
  // Cut back to the last word boundary when there is one near the end.
  const cut = text.slice(0, QUOTE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${label}: “${(space > QUOTE_CHARS * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')} …”`;
}

/** "I see 2 attachments: report.pdf (PDF): “Quarterly revenue …”; screenshot.png (image)." */
export function acknowledgeAttachments(attachments: readonly SeenAttachment[]): string {
  return `I see ${attachments.length === 1 ? '1 attachment' : `${attachments.length} attachments`}: ${attachments.map(describe).join('; ')}.`;
}
