/**
 * Degrees ↔ 度分秒 (DMS), as the census point table writes coordinates: seconds with 4 decimals,
 * e.g. `35°23′14.3925″` (about 3 mm).
 *
 * Contract:
 * - `toDms` MUST round to 0.0001″ once, on the whole value, so a carry never shows `60.0000″` or
 *   `60′` (59.99995″ becomes the next minute). Minutes and seconds are zero-padded to two digits.
 * - `parseDms` MUST NOT throw; it answers a result union whose `message` (Chinese) says how to fix
 *   the input.
 */

export type DmsAxis = 'lat' | 'lon';

/**
 * How the hemisphere is written:
 * - `letter` (default): a suffix N/S (latitude) or E/W (longitude), `39°18′00.8712″N`;
 * - `chinese`: a prefix 北纬/南纬/东经/西经, `北纬39°18′00.8712″`;
 * - `signed`: a minus sign for S and W, `-39°18′00.8712″`.
 */
export type DmsStyle = 'letter' | 'chinese' | 'signed';

export type DmsParseResult = { ok: true; value: number } | { ok: false; message: string };

/** Ten-thousandths of an arc second per degree. */
const UNITS_PER_DEGREE = 3600 * 10_000;

/** The parts of `|deg|` rounded to 0.0001″, with the carry already done. */
export function dmsParts(deg: number): {
	negative: boolean;
	degrees: number;
	minutes: number;
	seconds: number;
} {
	const units = Math.round(Math.abs(deg) * UNITS_PER_DEGREE);
	const degrees = Math.floor(units / UNITS_PER_DEGREE);
	const rest = units - degrees * UNITS_PER_DEGREE;
	const minutes = Math.floor(rest / 600_000);
	const seconds = (rest - minutes * 600_000) / 10_000;
	return { negative: deg < 0 && units > 0, degrees, minutes, seconds };
}

/**
 * Decimal degrees → `39°18′00.8712″N` (see `DmsStyle`). A non-finite input gives `''`.
 * Zero takes the northern/eastern hemisphere.
 */
export function toDms(deg: number, axis: DmsAxis, style: DmsStyle = 'letter'): string {
	if (!Number.isFinite(deg)) return '';
	const { negative, degrees, minutes, seconds } = dmsParts(deg);
	const [whole = '0', fraction = '0000'] = seconds.toFixed(4).split('.');
	const body = `${degrees}°${String(minutes).padStart(2, '0')}′${whole.padStart(2, '0')}.${fraction}″`;
	switch (style) {
		case 'signed':
			return `${negative ? '-' : ''}${body}`;
		case 'chinese': {
			const prefix = axis === 'lat' ? (negative ? '南纬' : '北纬') : negative ? '西经' : '东经';
			return `${prefix}${body}`;
		}
		default: {
			const suffix = axis === 'lat' ? (negative ? 'S' : 'N') : negative ? 'W' : 'E';
			return `${body}${suffix}`;
		}
	}
}

const EXAMPLES = '如 39°18′00.8712″N、39 18 0.8712、北纬39度18分0.87秒，或十进制度 109.74505';

/** Full-width and look-alike characters a Chinese keyboard produces, mapped to plain ones. */
function normalize(text: string): string {
	return (
		text
			.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
			.replace(/[．。]/g, '.')
			.replace(/[－—–−]/g, '-')
			.replace(/＋/g, '+')
			// seconds first: a double mark must not be read as two minute marks
			.replace(/″|"|”|“|''|′′|’’|‘‘|〃|秒/g, '"')
			.replace(/′|'|’|‘|分/g, "'")
			.replace(/°|º|˚|度/g, '°')
			.replace(/[,，:：;；\s]+/g, ' ')
			.trim()
	);
}

type Hemisphere = { axis: DmsAxis; negative: boolean; label: string };

const HEMISPHERES: Record<string, Hemisphere> = {
	北纬: { axis: 'lat', negative: false, label: '北纬' },
	南纬: { axis: 'lat', negative: true, label: '南纬' },
	东经: { axis: 'lon', negative: false, label: '东经' },
	西经: { axis: 'lon', negative: true, label: '西经' },
	N: { axis: 'lat', negative: false, label: 'N' },
	S: { axis: 'lat', negative: true, label: 'S' },
	E: { axis: 'lon', negative: false, label: 'E' },
	W: { axis: 'lon', negative: true, label: 'W' }
};

function hemisphereOf(mark: string): Hemisphere | undefined {
	return HEMISPHERES[mark.length === 1 ? mark.toUpperCase() : mark];
}

const UNIT_NAMES = ['度', '分', '秒'] as const;

/**
 * Reads a coordinate as a surveyor types it: `39°18′00.8712″N`, `N39°18′0.87″`, `39 18 0.8712`,
 * `39°18'0.87"`, `北纬39度18分0.87秒`, `39°18.5′` (decimal minutes), `109.74505`, `-39 18 0.87`,
 * with ′″, '" or 度分秒, full-width digits, and N/S/E/W or 北纬/南纬/东经/西经 before or after.
 * Only the last number may have decimals. With `axis`, the range is checked against it (±90° or
 * ±180°) and a hemisphere of the other axis is refused; without it, a hemisphere decides the axis,
 * else ±180° is allowed.
 */
export function parseDms(text: string, axis?: DmsAxis): DmsParseResult {
	const original = text.trim();
	if (original === '') return { ok: false, message: `请输入坐标，${EXAMPLES}` };
	let rest = normalize(original);

	let hemisphere: Hemisphere | undefined;
	const prefix = /^(北纬|南纬|东经|西经|[NSEWnsew])\s*/.exec(rest);
	if (prefix?.[1]) {
		hemisphere = hemisphereOf(prefix[1]);
		rest = rest.slice(prefix[0].length);
	}
	const suffix = /\s*(北纬|南纬|东经|西经|[NSEWnsew])$/.exec(rest);
	if (suffix?.[1]) {
		if (hemisphere) {
			return {
				ok: false,
				message: `“${original}”写了两次方位：请只保留一个（N/S/E/W 或 北纬/东经 等）`
			};
		}
		hemisphere = hemisphereOf(suffix[1]);
		rest = rest.slice(0, suffix.index);
	}
	rest = rest.trim();

	let negative = false;
	const sign = /^([+-])\s*/.exec(rest);
	if (sign?.[1]) {
		negative = sign[1] === '-';
		rest = rest.slice(sign[0].length);
	}
	if (negative && hemisphere) {
		return {
			ok: false,
			message: `“${original}”同时用了负号和方位“${hemisphere.label}”：请只用其中一种表示南纬或西经`
		};
	}
	if (hemisphere && axis && hemisphere.axis !== axis) {
		return {
			ok: false,
			message: `“${hemisphere.label}”表示${hemisphere.axis === 'lat' ? '纬度' : '经度'}，这里需要填写${axis === 'lat' ? '纬度' : '经度'}：请检查是否把经纬度填反了`
		};
	}

	// number, optional unit mark (° ' "), repeated
	const token = /^(\d+(?:\.\d+)?|\.\d+)\s*(°|'|")?\s*/;
	const parts: [number, number, number] = [0, 0, 0];
	const seen: string[] = [];
	let position = -1;
	let lastHadFraction = false;
	while (rest.length > 0) {
		const match = token.exec(rest);
		if (!match?.[1]) return unparseable(original);
		if (lastHadFraction) {
			return {
				ok: false,
				message: `“${original}”中只有最后一项可以带小数：请写成 度 分 秒（如 39°18′00.87″），或只写十进制度（如 39.300242）`
			};
		}
		const mark = match[2];
		const next = mark === '°' ? 0 : mark === "'" ? 1 : mark === '"' ? 2 : position + 1;
		if (next <= position || next > 2) return unparseable(original);
		if (position === -1 && next !== 0) {
			return {
				ok: false,
				message: `“${original}”缺少度数：请从度开始写（如 0°30′00″ 而不是 30′）`
			};
		}
		if (next !== position + 1) {
			return {
				ok: false,
				message: `“${original}”缺少${UNIT_NAMES[position + 1]}：请把缺少的一项写为 0（如 39°0′12″）`
			};
		}
		position = next;
		parts[position] = Number(match[1]);
		seen.push(match[1]);
		lastHadFraction = match[1].includes('.');
		rest = rest.slice(match[0].length);
	}
	if (position < 0) return unparseable(original);

	const [degrees, minutes, seconds] = parts;
	if (minutes >= 60) {
		return {
			ok: false,
			message: `分为 ${seen[1]}，必须小于 60：请检查分值，满 60 分应进为 1 度`
		};
	}
	if (seconds >= 60) {
		return {
			ok: false,
			message: `秒为 ${seen[2]}，必须小于 60：请检查秒值，满 60 秒应进为 1 分`
		};
	}
	const magnitude = degrees + minutes / 60 + seconds / 3600;
	const value = negative || hemisphere?.negative ? -magnitude : magnitude;
	const rangeAxis = axis ?? hemisphere?.axis;
	const limit = rangeAxis === 'lat' ? 90 : 180;
	if (magnitude > limit) {
		const what = rangeAxis === 'lat' ? '纬度' : rangeAxis === 'lon' ? '经度' : '坐标';
		return {
			ok: false,
			message: `${what}须在 -${limit}° 到 ${limit}° 之间，“${original}”超出范围：请检查度数${rangeAxis === 'lat' ? '（是否把经度填到了纬度）' : ''}`
		};
	}
	return { ok: true, value: value === 0 ? 0 : value };
}

function unparseable(original: string): DmsParseResult {
	return {
		ok: false,
		message: `无法识别“${original}”：请按 度°分′秒″ 输入，${EXAMPLES}`
	};
}
