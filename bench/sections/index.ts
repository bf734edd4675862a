import type { Section } from '../section.ts';
import { concurrency } from './concurrency.ts';
import { engines } from './engines.ts';
import { markdown } from './markdown.ts';
import { relay } from './relay.ts';
import { replay } from './replay.ts';
import { startup } from './startup.ts';
import { storage } from './storage.ts';
import { streaming } from './streaming.ts';
import { turnCost } from './turn-cost.ts';
import { widget } from './widget.ts';

/** Every section, in the order `pnpm bench` runs and prints them; the key is the `--only` name. */
export const SECTIONS: ReadonlyArray<readonly [name: string, section: Section]> = [
  ['relay', relay],
  ['turn-cost', turnCost],
  ['concurrency', concurrency],
  ['storage', storage],
  ['widget', widget],
  ['streaming', streaming],
  ['markdown', markdown],
  ['replay', replay],
  ['engines', engines],
  ['startup', startup],
];
