/**
 * Sets of English words that mean about the same to a visitor asking for help: "charged" and
 * "refund" point at the same desk. Tools and handoffs are described in English; other
 * languages reach these through their glossary.
 */
export const TOPIC_SETS: readonly string[][] = [
  ['charge', 'charged', 'bill', 'billing', 'billed', 'refund', 'invoice', 'receipt', 'payment', 'pay', 'paid', 'card', 'money', 'transaction', 'overcharged', 'debit', 'debited', 'credit', 'statement'],
  ['broken', 'error', 'down', 'outage', 'status', 'incident', 'crash', 'bug', 'fail', 'failure', 'working', 'unavailable', 'slow', 'glitch', 'offline', 'uptime', 'load', 'spin', 'freeze'],
  ['login', 'log', 'signin', 'sign', 'password', 'account', 'access', 'locked', 'authenticate', '2fa', 'mfa', 'username'],
  ['website', 'site', 'app', 'page', 'browser', 'checkout'],
  ['weather', 'forecast', 'temperature', 'rain', 'sunny', 'snow', 'wind', 'hot', 'cold', 'umbrella', 'degrees', 'humid', 'storm', 'cloudy'],
  ['feature', 'plan', 'pricing', 'price', 'cost', 'tier', 'upgrade', 'downgrade', 'subscription', 'membership', 'member', 'premium', 'include', 'difference', 'compare', 'trial'],
  ['order', 'purchase', 'package', 'shipment', 'track', 'parcel', 'bought', 'cancel'],
  ['shipping', 'ship', 'delivery', 'deliver', 'express', 'courier', 'postage', 'abroad', 'international'],
  ['return', 'returns', 'exchange', 'warranty', 'repair', 'guarantee', 'defective'],
  ['gear', 'product', 'equipment', 'tent', 'boot', 'jacket', 'backpack', 'bag', 'sock', 'shoe', 'clothing', 'sell', 'carry', 'hiking'],
  ['docs', 'documentation', 'guide', 'manual', 'article', 'tutorial', 'howto', 'instructions', 'setup', 'configure', 'install', 'faq'],
  ['lookup', 'look', 'check', 'find', 'show', 'view', 'detail', 'info', 'information'],
  ['search', 'query', 'find'],
  ['cancel', 'cancellation', 'terminate', 'stop'],
  ['stock', 'inventory', 'available', 'availability', 'instock', 'supply', 'size'],
  ['reserve', 'reservation', 'hold', 'aside'],
];
