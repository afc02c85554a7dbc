/**
 * The Crafter score and success rates, as the Crafter paper (Hafner 2021) defines them, for any stats source.
 *
 * @example
 * const rates = successRates(episodes, rules.achievements); // { collect_wood: 92.5, ... } in percent
 * crafterScore(Object.values(rates));                        // 12.3 (percent)
 */

/**
 * Crafter score S = exp(mean_i ln(1 + s_i)) - 1 over the success rates s_i, in percent (0..100). The geometric mean
 * of (1 + s_i) rewards unlocking rare achievements more than raising common ones. Returns a percent; 0 for no rates.
 */
export function crafterScore(ratesPercent: readonly number[]): number {
  if (ratesPercent.length === 0) return 0;
  let sum = 0;
  for (const s of ratesPercent) {
    if (!(s >= 0 && s <= 100)) throw new RangeError(`crafterScore: a success rate must be a percent in [0, 100], got ${s}`);
    sum += Math.log(1 + s);
  }
  return Math.exp(sum / ratesPercent.length) - 1;
}

/**
 * Success rate of each achievement in percent: the share of `episodes` in which its count
 * (`achievement_<name>` as in the reference's stats.jsonl) was at least 1. A missing key counts as 0.
 * With no episodes every rate is 0.
 */
export function successRates(episodes: readonly Readonly<Record<string, unknown>>[], achievements: readonly string[]): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const name of achievements) {
    let unlocked = 0;
    for (const e of episodes) if (Number(e[`achievement_${name}`] ?? 0) >= 1) unlocked++;
    rates[name] = episodes.length > 0 ? (100 * unlocked) / episodes.length : 0;
  }
  return rates;
}
