/*
 * A long model answer in markdown, as the streaming section sends it: paragraphs with inline
 * marks, a bulleted and a numbered list, a fenced code block and a table, cut into tokens the
 * size a model streams (a word with its leading space, punctuation and markup on their own).
 */

/** One section of the answer; `n` makes each section's text unique. */
function section(n: number): string {
  return [
    `## Step ${n}: check the order`,
    `First, open the **orders** page and find order \`#${1000 + n}\`. The status column tells you whether it has shipped; ` +
      `an order that has not shipped yet can still be *changed or cancelled* without a fee. See [the help centre](https://example.com/help/${n}) for details.`,
    `- Shipped orders show a tracking link.\n- Pending orders show an **Edit** button.\n- Cancelled orders are greyed out, with the refund date.`,
    `1. Select the order.\n2. Press *Return items* and pick the items.\n3. Print the label and drop the parcel at any post office.`,
    '```ts\n' + `const order = await client.orders.get('#${1000 + n}');\nif (order.status === 'pending') {\n  await client.orders.cancel(order.id, { reason: 'changed mind' });\n}\n` + '```',
    `| item | quantity | price |\n| --- | ---: | ---: |\n| Blue mug | 2 | $${12 + n}.00 |\n| Tea towel | 1 | $8.50 |`,
    `> Refunds reach your card within **5 to 10 working days**, depending on your bank.`,
  ].join('\n\n');
}

/** Splits text into model-sized tokens: a word with its leading whitespace, or one other character. */
export function modelTokens(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}']+|\s*[^\s\p{L}\p{N}']|\s+$/gu) ?? [];
}

/** The closing sentence; the bench checks that its last words reach the screen. */
export const CLOSING_WORDS = 'anything else today';

/** Filler that pads the last paragraph to the exact token count. */
const PADDING = modelTokens(
  ' You can also reach us by phone, chat or email, and we usually answer within the hour.' +
    ' Keep your order number at hand: it makes everything faster for both of us.',
);

/**
 * A markdown answer of exactly `count` tokens (at least 40): as many whole sections as fit,
 * then a last paragraph padded to the count. Returns the tokens; joined, they are the text.
 */
export function markdownAnswer(count: number): string[] {
  const closing = modelTokens(` Is there ${CLOSING_WORDS}?`);
  const tokens: string[] = modelTokens('Here is how to change, cancel or return an order.');
  for (let n = 1; ; n++) {
    const next = modelTokens(`\n\n${section(n)}`);
    if (tokens.length + next.length + 2 + closing.length > count) break;
    tokens.push(...next);
  }
  tokens.push('\n\nThat', ' is all');
  for (let i = 0; tokens.length + closing.length < count; i++) tokens.push(PADDING[i % PADDING.length]!);
  tokens.push(...closing);
  if (tokens.length !== count) throw new Error(`markdownAnswer(${count}) made ${tokens.length} tokens`);
  return tokens;
}
