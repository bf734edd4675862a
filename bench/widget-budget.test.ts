import { describe, expect, it } from 'vitest';
import { WIDGET_GZIP_BUDGET, widgetGzipBytes } from './sections/widget.ts';

describe('widget.js size', () => {
  it('stays within its gzip budget', () => {
    const gzip = widgetGzipBytes();
    console.log(`widget.js: ${(gzip / 1024).toFixed(1)} KB gzip -9, budget ${(WIDGET_GZIP_BUDGET / 1024).toFixed(0)} KB`);
    expect(gzip).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET);
  });
});
