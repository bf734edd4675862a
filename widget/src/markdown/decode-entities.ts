/*
 * marked leaves HTML character references (`&amp;`, `&#35;`, `&copy;`) in text for an HTML
 * serializer to decode; we build DOM text nodes instead, so we decode them here.
 */

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/g;
const named = new Map<string, string>();
let scratch: HTMLTemplateElement | undefined;

function decodeNamed(name: string): string {
  let value = named.get(name);
  if (value === undefined) {
    // The browser's own entity table, fed only `&name;` (letters and digits) inside an inert
    // template: nothing but a text node can come out, and unknown names stay as written.
    scratch ??= document.implementation.createHTMLDocument('').createElement('template');
    scratch.innerHTML = `&${name};`;
    value = scratch.content.textContent ?? '';
    // A legacy name without its semicolon also decodes (`&copyx;` gives `©x;`): that is no reference.
    if (value.includes(';') || value.length > 2) value = `&${name};`;
    named.set(name, value);
  }
  return value;
}

function fromCodePoint(code: number): string {
  return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(code);
}

/** Decodes the character references in `text` as an HTML parser would in text content. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    const value = decodeNamed(name!);
    return value === `&${name};` ? whole : value;
  });
}
