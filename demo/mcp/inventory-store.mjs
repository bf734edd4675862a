/**
 * The Northwind Outfitters stock room, in memory: a fixed catalog (so the demo and its tests
 * always tell the same story), a product search by name or SKU, and reservations that hold
 * stock for a while. Plain JavaScript with no dependency, so `node` runs it anywhere.
 * Nothing is persisted: a restarted server starts from the same stock again.
 */

/** The shop's warehouses, in the order a reservation draws from them when they hold the same amount. */
export const WAREHOUSES = /** @type {const} */ (['Portland, OR', 'Denver, CO', 'Atlanta, GA']);

/** Days to the door from a warehouse that has the item. */
const SHIPPING_DAYS = { 'Portland, OR': '1–2', 'Denver, CO': '2–3', 'Atlanta, GA': '2–4' };

/**
 * @typedef {object} StockUnit One sellable unit: a product, in one size when it comes in sizes.
 * @property {string} sku
 * @property {string} name
 * @property {string} category
 * @property {string | undefined} size
 * @property {number} price  USD
 * @property {string[]} keywords  extra words a visitor may use ("2-person", "waterproof")
 * @property {number[]} stock  units per warehouse, in `WAREHOUSES` order
 * @property {string | undefined} restock  when an item out of stock everywhere is expected back
 */

/** @param {string} sku @param {string} name @param {string} category @param {number} price @param {string[]} keywords @param {number[]} stock @param {{ size?: string, restock?: string }} [more] @returns {StockUnit} */
function unit(sku, name, category, price, keywords, stock, more = {}) {
  return { sku, name, category, size: more.size, price, keywords, stock, restock: more.restock };
}

/** @param {string} base @param {string} name @param {string} category @param {number} price @param {string[]} keywords @param {Record<string, number[]>} sizes @returns {StockUnit[]} */
function sized(base, name, category, price, keywords, sizes) {
  return Object.entries(sizes).map(([size, stock]) => unit(`${base}-${size}`, name, category, price, keywords, stock, { size }));
}

/** @returns {StockUnit[]} A fresh copy of the demo catalog. */
export function demoCatalog() {
  return [
    unit('TN-2002', 'Alpine 2 Tent', 'tent', 329, ['two-person', '2-person', 'backpacking', 'three-season', 'freestanding'], [4, 2, 0]),
    unit('TN-2004', 'Alpine 4 Tent', 'tent', 419, ['four-person', '4-person', 'family', 'camping', 'three-season'], [1, 0, 0]),
    unit('TN-3102', 'Ridgeback 2-Person Tent', 'tent', 349, ['two-person', '2-person', 'four-season', 'winter', 'expedition'], [0, 0, 0], { restock: '2026-12-15' }),
    unit('SB-1100', 'Glacier −10 °C Sleeping Bag', 'sleeping bag', 179, ['winter', 'down', 'mummy', 'cold'], [6, 3, 2]),
    unit('SB-1200', 'Summer Breeze Sleeping Bag', 'sleeping bag', 79, ['summer', 'light', 'synthetic'], [0, 5, 8]),
    ...sized('BT-4400', 'Switchback Boots', 'boot', 189, ['hiking', 'waterproof', 'leather'], {
      38: [2, 1, 0], 39: [3, 0, 1], 40: [0, 2, 2], 41: [4, 1, 0], 42: [0, 3, 1], 43: [2, 0, 0], 44: [0, 0, 0], 45: [1, 0, 0],
    }),
    ...sized('JK-5100', 'Stormline Jacket', 'jacket', 219, ['rain', 'waterproof', 'shell'], {
      S: [2, 2, 1], M: [5, 0, 3], L: [0, 1, 0], XL: [0, 0, 0],
    }),
    ...sized('JK-5300', 'Ember Down Jacket', 'jacket', 219, ['down', 'insulated', 'puffer', 'winter'], {
      S: [1, 0, 0], M: [2, 1, 0], L: [3, 2, 1],
    }),
    unit('BP-6040', 'Ridge 40L Pack', 'backpack', 149, ['backpack', 'pack', '40l', 'hiking'], [5, 3, 2]),
    unit('BP-6030', 'Trailhead 30L Backpack', 'backpack', 59, ['daypack', 'pack', '30l'], [12, 7, 4]),
    unit('AC-7010', 'Merino Hiking Socks (3 pairs)', 'socks', 24, ['wool', 'merino'], [30, 18, 22]),
  ];
}

/** Words that never decide which product is meant. */
const STOP = new Set(
  'a an and any are can do does for have has i in is it me my of on or please size sizes the to we what which with you your stock available availability there'.split(' '),
);

/** "Tents" and "tent", "boots" and "boot" meet. */
function stem(word) {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** @param {string} text @returns {string[]} */
function tokens(text) {
  return (text.toLowerCase().normalize('NFKD').match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w)).map(stem);
}

/** "size 42", "size M", "in XL": the size the visitor asked for, if any. */
function sizeIn(text) {
  const match = /\bsize\s*([0-9]{2}(?:\.5)?|xs|s|m|l|xl|xxl)\b/i.exec(text);
  return match ? match[1].toUpperCase() : undefined;
}

/**
 * @typedef {object} ProductStock What check_stock says about one unit.
 * @property {string} name
 * @property {string} sku
 * @property {string} [size]
 * @property {number} price
 * @property {'USD'} currency
 * @property {number} available  units free to sell, over every warehouse
 * @property {{ warehouse: string, available: number }[]} warehouses
 * @property {string} shipping
 */

/** @param {StockUnit} item @returns {ProductStock} */
function describe(item) {
  const available = item.stock.reduce((sum, n) => sum + n, 0);
  const from = WAREHOUSES.find((_, i) => (item.stock[i] ?? 0) > 0);
  const shipping = from
    ? `Ships in ${SHIPPING_DAYS[from]} business days from ${from}.`
    : `Out of stock everywhere${item.restock ? `; expected back around ${item.restock}` : ''}.`;
  return {
    name: item.name,
    sku: item.sku,
    ...(item.size ? { size: item.size } : {}),
    price: item.price,
    currency: 'USD',
    available,
    warehouses: WAREHOUSES.map((warehouse, i) => ({ warehouse, available: item.stock[i] ?? 0 })),
    shipping,
  };
}

/** At most this many units in one answer: enough to choose from, short enough to read. */
const MAX_MATCHES = 8;

/**
 * @typedef {object} Reservation
 * @property {string} reservation_id
 * @property {string} sku
 * @property {string} name
 * @property {string} [size]
 * @property {number} quantity
 * @property {number} hold_hours
 * @property {string} held_until  ISO time
 * @property {{ warehouse: string, quantity: number }[]} from_warehouses
 * @property {number} remaining_available
 */

/**
 * The stock room. Each instance has its own copy of the catalog, so tests do not share stock.
 * @param {{ now?: () => Date }} [options]
 */
export function createInventory(options = {}) {
  const now = options.now ?? (() => new Date());
  const catalog = demoCatalog();
  /** @type {Map<string, Reservation>} */
  const byKey = new Map();
  let next = 1001;

  /** @param {string} sku */
  const bySku = (sku) => catalog.find((item) => item.sku.toLowerCase() === sku.trim().toLowerCase());

  return {
    /**
     * Units matching a product name, keywords or a SKU (a whole SKU, or a base such as
     * "BT-4400" for every size), narrowed to `size` when given or said ("hiking boots size 42").
     * @param {string} query @param {string} [size]
     * @returns {{ found: true, query: string, products: ProductStock[] } | { found: false, query: string, message: string }}
     */
    checkStock(query, size) {
      const wanted = (size ?? sizeIn(query))?.toUpperCase();
      const text = query.replace(/\bsize\s*\S+/gi, ' ');
      const skuHits = catalog.filter((item) => {
        const q = text.trim().toLowerCase();
        return q.length >= 4 && (item.sku.toLowerCase() === q || item.sku.toLowerCase().startsWith(`${q}-`));
      });
      let hits = skuHits;
      if (hits.length === 0) {
        const words = tokens(text);
        const scored = catalog.map((item) => {
          const own = new Set(tokens(`${item.name} ${item.category} ${item.keywords.join(' ')}`));
          const score = words.filter((w) => own.has(w)).length;
          // A number alone ("2") names no product: at least one word must hit.
          const named = words.some((w) => own.has(w) && /[a-z]/.test(w));
          return { item, score: named ? score : 0 };
        });
        const best = Math.max(0, ...scored.map((s) => s.score));
        hits = best > 0 ? scored.filter((s) => s.score === best).map((s) => s.item) : [];
      }
      if (hits.length === 0) {
        return { found: false, query, message: `No product in the catalog matches “${query.trim()}”. Try a product name such as “Alpine 2 Tent” or “Switchback Boots”.` };
      }
      if (wanted) {
        const sizedHits = hits.filter((item) => item.size === wanted);
        if (sizedHits.length === 0 && hits.some((item) => item.size)) {
          const sizes = [...new Set(hits.map((item) => item.size).filter(Boolean))].join(', ');
          return { found: false, query, message: `${hits[0]?.name} does not come in size ${wanted}; sizes: ${sizes}.` };
        }
        if (sizedHits.length > 0) hits = sizedHits;
      }
      return { found: true, query, products: hits.slice(0, MAX_MATCHES).map(describe) };
    },

    /**
     * Holds `quantity` units of `sku` for `holdHours`, drawn from the warehouses that have most.
     * The same `key` returns the same reservation instead of holding stock twice.
     * @param {{ sku: string, quantity: number, holdHours: number, key?: string }} request
     * @returns {{ ok: true, reservation: Reservation, repeated: boolean } | { ok: false, reason: 'unknown_sku' | 'not_enough', message: string }}
     */
    reserve({ sku, quantity, holdHours, key }) {
      const known = key ? byKey.get(key) : undefined;
      if (known) return { ok: true, reservation: known, repeated: true };
      const item = bySku(sku);
      if (!item) return { ok: false, reason: 'unknown_sku', message: `There is no product with SKU “${sku.trim()}”. Use check_stock to find the SKU.` };
      const available = item.stock.reduce((sum, n) => sum + n, 0);
      if (available < quantity) {
        const label = item.size ? `${item.name} (size ${item.size})` : item.name;
        return { ok: false, reason: 'not_enough', message: `Only ${available} × ${label} available, so ${quantity} cannot be reserved.` };
      }
      /** @type {{ warehouse: string, quantity: number }[]} */
      const taken = [];
      let left = quantity;
      const order = WAREHOUSES.map((_, i) => i).sort((a, b) => (item.stock[b] ?? 0) - (item.stock[a] ?? 0));
      for (const i of order) {
        const take = Math.min(left, item.stock[i] ?? 0);
        if (take <= 0) continue;
        item.stock[i] = (item.stock[i] ?? 0) - take;
        taken.push({ warehouse: WAREHOUSES[i] ?? '', quantity: take });
        left -= take;
        if (left === 0) break;
      }
      const reservation = {
        reservation_id: `RSV-${next++}`,
        sku: item.sku,
        name: item.name,
        ...(item.size ? { size: item.size } : {}),
        quantity,
        hold_hours: holdHours,
        held_until: new Date(now().getTime() + holdHours * 3_600_000).toISOString(),
        from_warehouses: taken,
        remaining_available: available - quantity,
      };
      if (key) byKey.set(key, reservation);
      return { ok: true, reservation, repeated: false };
    },
  };
}
