import { defineTool, z } from '@agent-chat/server';

const CONDITIONS = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'showers', 'windy', 'foggy', 'clear skies'] as const;

/** A small stable hash (FNV-1a), so a city always gets the same made-up weather. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const char of text.toLowerCase()) {
    h ^= char.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Made-up but deterministic weather for a city (the demo runs without network). */
export function demoWeather(city: string) {
  const h = hash(city.trim());
  const temperature = (h % 31) - 3;
  const conditions = CONDITIONS[(h >>> 5) % CONDITIONS.length] as (typeof CONDITIONS)[number];
  const wet = conditions === 'light rain' || conditions === 'showers';
  return {
    city: city.trim(),
    conditions,
    temperature_c: temperature,
    temperature_f: Math.round((temperature * 9) / 5 + 32),
    wind_kmh: conditions === 'windy' ? 35 + ((h >>> 9) % 20) : 3 + ((h >>> 9) % 20),
    rain_chance_pct: wet ? 60 + ((h >>> 13) % 40) : (h >>> 13) % 30,
    umbrella: wet,
    tomorrow: CONDITIONS[(h >>> 17) % CONDITIONS.length] as string,
    source: 'demo data (no network)',
  };
}

/** `get_weather(city)`: current weather and tomorrow's outlook for a city. */
export const getWeatherTool = defineTool({
  name: 'get_weather',
  description: 'Get the current weather and forecast for a city: temperature, conditions, rain, wind and humidity, and tomorrow\'s outlook.',
  parameters: z.object({ city: z.string().trim().min(1).max(80).describe('City name, e.g. "Paris"') }),
  execute: ({ city }) => demoWeather(city),
});
