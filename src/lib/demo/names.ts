/**
 * Place-name material for demo site names. Census naming rule (三普 定名标准, still used):
 * smallest administrative unit or natural place name + a type word; no duplicates in a county.
 * Ordos place names mix Mongolian (巴音 rich, 乌兰 red, 查干 white, 敖包 cairn, 陶勒盖 hilltop,
 * 淖尔 lake …) and northern Chinese landform words (梁, 圪旦, 峁, 壕, 渠 …).
 */

/** Mongolian attributive parts: colours, qualities, numbers. */
export const MONGOLIAN_HEADS = [
	'巴音',
	'乌兰',
	'查干',
	'哈日',
	'呼和',
	'希热',
	'阿拉坦',
	'伊克',
	'巴嘎',
	'宝日',
	'敖伦',
	'那仁',
	'萨日',
	'塔本',
	'道劳',
	'朝鲁',
	'额尔很',
	'准',
	'布日',
	'图古日格',
	'沙日',
	'脑干',
	'乌力吉',
	'巴彦',
	'阿门',
	'呼吉日',
	'格日',
	'锡林',
	'哈布其',
	'毛盖'
] as const;

/** Mongolian landform or feature words. */
export const MONGOLIAN_TAILS = [
	'敖包',
	'陶勒盖',
	'淖尔',
	'乌素',
	'塔拉',
	'高勒',
	'柴达木',
	'布拉格',
	'温都尔',
	'哈达',
	'呼都格',
	'希里',
	'额日格',
	'套海',
	'补隆',
	'阿贵',
	'浩特',
	'呼舒',
	'德日苏',
	'芒哈',
	'毛都',
	'扎德盖',
	'格楞',
	'乌拉'
] as const;

/** Chinese attributive parts as used in Ordos (晋陕 settler names). */
export const CHINESE_HEADS = [
	'大',
	'小',
	'前',
	'后',
	'东',
	'西',
	'南',
	'北',
	'高',
	'黄',
	'红',
	'黑',
	'白',
	'石',
	'柳',
	'榆树',
	'沙',
	'碱',
	'二道',
	'三道',
	'五股',
	'羊',
	'马',
	'杨家',
	'王家',
	'李家',
	'张家',
	'刘家',
	'郝家',
	'贺家',
	'高家',
	'马家',
	'乔家',
	'韩家',
	'杜家',
	'苏家',
	'庙',
	'烟墩',
	'古城',
	'海子'
] as const;

/** Chinese landform words of the Ordos plateau and its loess hills. */
export const CHINESE_TAILS = [
	'梁',
	'圪旦',
	'圪堵',
	'圪梁',
	'塔',
	'峁',
	'沟',
	'湾',
	'渠',
	'壕',
	'滩',
	'坪',
	'台',
	'窑',
	'畔',
	'卜子',
	'咀',
	'墕',
	'洼',
	'崖'
] as const;

/** Mongolian or religious nouns that take a Chinese landform word (敖包梁, 召湾 …). */
export const MIXED_HEADS = ['敖包', '召', '庙', '海子', '柴登', '乌兰', '查干', '巴音'] as const;
export const MIXED_TAILS = ['梁', '湾', '沟', '渠', '滩', '壕', '圪旦', '峁'] as const;

/** Every invented natural place name, in a fixed order. */
export const NATURAL_PLACE_NAMES: readonly string[] = (() => {
	const out = new Set<string>();
	for (const h of MONGOLIAN_HEADS) for (const t of MONGOLIAN_TAILS) out.add(h + t);
	for (const h of CHINESE_HEADS) for (const t of CHINESE_TAILS) out.add(h + t);
	for (const h of MIXED_HEADS) for (const t of MIXED_TAILS) out.add(h + t);
	return [...out].filter((n) => !/(.)\1/.test(n));
})();

/** Village names of the division list that read as modern (not used to name ancient sites). */
const MODERN_NAME =
	/^(前进|红旗|胜利|建设|团结|新建|东方|向阳|光明|解放|红星|先锋|幸福|和平|民主|友谊|新华|新民|新村|新街|新园|联合|繁荣|兴盛|和谐|富民|育才|文苑|迎宾|园丁|曙光|康城|长胜|永先|七一|八一|五一|光前|常青|民乐|民和|育英|建安|绿洲|惠泽|和美|平安|园林|福泽|聚心|昌和|腾飞|祥和|东升|绿鑫|满都拉|春苑|珠和)/;

/** The township name without its 镇/乡/苏木/街道 ending: 泊尔江海子镇 → 泊尔江海子. */
export function townshipBase(name: string): string {
	return name.replace(/(镇|乡|苏木|街道)$/, '');
}

/** True for a 乡/镇/苏木 (not a 街道 or a statistical development zone). */
export function isRuralTownship(name: string): boolean {
	return /(镇|乡|苏木)$/.test(name) && !/(开发区|园区|示范区)/.test(name);
}

/** True for statistical-only units (开发区, 园区 …) that no site should be placed in. */
export function isStatisticalUnit(name: string): boolean {
	return /(开发区|园区|示范区|虚拟)/.test(name);
}

/**
 * The name of a village as written in an address: the committee ending dropped.
 * 巴音敖包村委会 → 巴音敖包村, 红庆河村村委会 → 红庆河村, 苏布尔嘎嘎查村 → 苏布尔嘎嘎查,
 * 乌审召嘎查村委员会 → 乌审召嘎查, 查干塔拉居民委员会 → 查干塔拉社区.
 */
export function villageShort(name: string): string {
	let m: RegExpExecArray | null;
	if ((m = /^(.+?)(村民委员会|村委员会|村委会)$/.exec(name))) {
		const base = m[1]!;
		return /(村|嘎查)$/.test(base) ? base : `${base}村`;
	}
	if ((m = /^(.+?)(居民委员会|居委会)$/.exec(name))) {
		const base = m[1]!;
		return /社区$/.test(base) ? base : `${base}社区`;
	}
	if ((m = /^(.+嘎查)村$/.exec(name))) return m[1]!;
	return name;
}

/** The bare place name of a village: 巴音敖包村委会 → 巴音敖包 (for naming sites). */
export function villageBase(name: string): string {
	return villageShort(name).replace(/(村|嘎查|社区)$/, '');
}

/** True for a village whose bare name suits an ancient site's name. */
export function isNameableVillage(name: string): boolean {
	const base = villageBase(name);
	return (
		base.length >= 2 &&
		!/(社区|虚拟)/.test(villageShort(name)) &&
		!MODERN_NAME.test(base) &&
		!/[一二三四五六七八九十]$/.test(base)
	);
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A positive integer in Chinese numerals (1–9999): 2 → 二, 15 → 十五, 108 → 一百零八. */
export function chineseNumber(n: number): string {
	if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`chineseNumber: ${n}`);
	if (n < 10) return DIGITS[n]!;
	if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
	const units = ['', '十', '百', '千'];
	const digits = String(n).split('').map(Number);
	let out = '';
	let zero = false;
	digits.forEach((d, i) => {
		const unit = units[digits.length - 1 - i]!;
		if (d === 0) {
			zero = true;
			return;
		}
		if (zero && out) out += '零';
		zero = false;
		out += DIGITS[d]! + unit;
	});
	return out;
}

export const DIRECTIONS = ['东', '南', '西', '北', '东北', '东南', '西北', '西南'] as const;
