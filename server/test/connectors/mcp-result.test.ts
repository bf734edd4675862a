import { describe, expect, it } from 'vitest';
import { MAX_IMAGES, MAX_IMAGE_BYTES, toToolResult } from '../../src/connectors/mcp-result.ts';
import { TINY_PNG } from '../helpers/test-files.ts';

const png = Buffer.from(TINY_PNG).toString('base64');

/** Result mapping for the content kinds the reference servers do not return on cue. */
describe('toToolResult', () => {
  it('joins text parts with a blank line and describes links, resources and audio', () => {
    const result = toToolResult(
      {
        content: [
          { type: 'text', text: 'Order found.' },
          { type: 'resource_link', uri: 'crm://orders/1042', name: 'order-1042', title: 'Order 1042', mimeType: 'application/json' },
          { type: 'resource', resource: { uri: 'crm://notes/1', mimeType: 'text/plain', text: 'Customer called twice.' } },
          { type: 'resource', resource: { uri: 'crm://invoice.pdf', mimeType: 'application/pdf', blob: Buffer.alloc(3000).toString('base64') } },
          { type: 'audio', mimeType: 'audio/wav', data: Buffer.alloc(10).toString('base64') },
        ],
      },
      10_000,
    );
    expect(result).toEqual({
      output: [
        'Order found.',
        '[resource link: Order 1042 <crm://orders/1042> (application/json)]',
        '[resource <crm://notes/1>]\nCustomer called twice.',
        '[resource <crm://invoice.pdf>: application/pdf, 2.9 KB, not shown]',
        '[audio: audio/wav, 10 B, not shown]',
      ].join('\n\n'),
      images: [],
      isError: false,
    });
  });

  it('caps the text, saying so', () => {
    const { output } = toToolResult({ content: [{ type: 'text', text: 'x'.repeat(500) }] }, 100);
    expect(output).toHaveLength(100);
    expect(output).toMatch(/x… \(truncated\)$/);
  });

  it('keeps at most four images, skips big or unsupported ones with a note', () => {
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1).toString('base64');
    const result = toToolResult(
      {
        content: [
          { type: 'image', mimeType: 'image/png', data: big },
          { type: 'image', mimeType: 'image/tiff', data: png },
          ...Array.from({ length: MAX_IMAGES + 1 }, () => ({ type: 'image' as const, mimeType: 'image/PNG', data: png })),
        ],
      },
      10_000,
    );
    expect(result.images).toHaveLength(MAX_IMAGES);
    expect(result.images[0]).toEqual({ mime: 'image/png', dataBase64: png });
    expect(result.output).toBe(
      ['[image omitted: image/png, 4.0 MB is over the 4 MB limit]', '[image omitted: image/tiff is not a supported image type]', '[image omitted: more than 4 images]'].join('\n\n'),
    );
  });

  it('prefers structured content; prose beside it is kept, a JSON copy is not', () => {
    const data = { temperature: 21, conditions: 'sunny' };
    expect(toToolResult({ content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data }, 1_000).output).toEqual(data);
    expect(toToolResult({ content: [], structuredContent: data }, 1_000).output).toEqual(data);
    expect(toToolResult({ content: [{ type: 'text', text: 'Forecast for today.' }], structuredContent: data }, 1_000).output).toEqual({
      data,
      text: 'Forecast for today.',
    });
    // Too long to keep whole: its JSON text, cut.
    const cut = toToolResult({ content: [], structuredContent: { rows: 'y'.repeat(500) } }, 60).output;
    expect(cut).toBe(`{"rows":"${'y'.repeat(60 - 9 - 13)}… (truncated)`);
  });

  it('keeps the text of an error result (structured content only when there is no text)', () => {
    expect(toToolResult({ isError: true, content: [{ type: 'text', text: 'No such order.' }], structuredContent: { code: 404 } }, 1_000)).toEqual({
      output: 'No such order.',
      images: [],
      isError: true,
    });
    expect(toToolResult({ isError: true, content: [], structuredContent: { code: 404 } }, 1_000).output).toBe('{"code":404}');
  });
});
