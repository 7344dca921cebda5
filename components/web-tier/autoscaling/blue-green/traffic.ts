import { invalid } from "../../../internal/errors";

/** The two fleets of a blue/green web tier. */
export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

/** Percent of the requests each color receives; the two add up to 100. */
export type TrafficShares = Record<Color, number>;

/** `deploy.traffic` as the user writes it: the percent for one color (the other gets the rest), or for both. */
export type TrafficArgs = Partial<Record<Color, number>>;

/**
 * The traffic share of each color from `deploy.traffic`.
 *
 * - `{ green: 10 }`: 10 % to green, the rest (90 %) to blue; likewise for blue.
 * - `{ blue: 30, green: 70 }`: both given, they must add up to 100.
 * - nothing: everything to blue (the first color deployed).
 *
 * Shares are whole percents from 0 to 100. The ALB accepts listener weights
 * from 0 to 999 (ELB API reference, TargetGroupTuple `Weight`); percents
 * keep the config readable and make the weights the shares themselves.
 * Throws a ConfigError naming `deploy.traffic.<color>`.
 *
 * @example trafficShares({ green: 10 }) // { blue: 90, green: 10 }
 */
export function trafficShares(traffic: TrafficArgs | undefined, setting = "deploy.traffic"): TrafficShares {
    if (traffic === undefined) return { blue: 100, green: 0 };
    if (traffic === null || typeof traffic !== "object" || Array.isArray(traffic)) {
        invalid(setting, traffic, "it is the percent of requests per color", `write e.g. ${setting}: { green: 10 }`);
    }
    const unknown = Object.keys(traffic).filter((key) => !(COLORS as readonly string[]).includes(key));
    if (unknown.length > 0) {
        invalid(`${setting}.${unknown[0]}`, traffic[unknown[0] as Color], "not a color: the two fleets are blue and green", `write ${setting}: { green: <percent> } or { blue: <percent> }`);
    }
    for (const color of COLORS) {
        const share = traffic[color];
        if (share === undefined) continue;
        if (typeof share !== "number" || !Number.isInteger(share) || share < 0 || share > 100) {
            invalid(`${setting}.${color}`, share, "a traffic share is a whole percent from 0 to 100", `set ${setting}.${color} to e.g. 10 (the other color gets the rest)`);
        }
    }
    const { blue, green } = traffic;
    if (blue !== undefined && green !== undefined) {
        if (blue + green !== 100) {
            invalid(setting, traffic, `the shares add up to ${blue + green}, not 100`, `give one color only (the other gets the rest), e.g. ${setting}: { green: ${green} }`);
        }
        return { blue, green };
    }
    if (green !== undefined) return { blue: 100 - green, green };
    if (blue !== undefined) return { blue, green: 100 - blue };
    return { blue: 100, green: 0 };
}

/** The colors that receive requests (a share above 0), blue first. */
export function servingColors(shares: TrafficShares): Color[] {
    return COLORS.filter((color) => shares[color] > 0);
}

/** The other color. */
export function otherColor(color: Color): Color {
    return color === "blue" ? "green" : "blue";
}
