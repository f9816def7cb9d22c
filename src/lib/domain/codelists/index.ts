/**
 * The census code lists as typed constants.
 *
 * Every string here MUST equal, byte for byte, the value in `codelists.json` beside this file
 * (a copy of the project's reference code lists); `tests/unit/domain/codelists.test.ts` checks it.
 * Values are the standard's own Chinese terms; labels for other languages are keyed by them.
 */

export const CODE_LIST_VERSION = '2025.1';

export const CITY = { code: '150600', name: '鄂尔多斯市' } as const;

export const COUNTIES = [
	{ code: '150602', name: '东胜区' },
	{ code: '150603', name: '康巴什区' },
	{ code: '150621', name: '达拉特旗' },
	{ code: '150622', name: '准格尔旗' },
	{ code: '150623', name: '鄂托克前旗' },
	{ code: '150624', name: '鄂托克旗' },
	{ code: '150625', name: '杭锦旗' },
	{ code: '150626', name: '乌审旗' },
	{ code: '150627', name: '伊金霍洛旗' }
] as const;
export type CountyCode = (typeof COUNTIES)[number]['code'];
export const COUNTY_CODES = COUNTIES.map((c) => c.code) as [CountyCode, ...CountyCode[]];
export const countyName = (code: string): string =>
	COUNTIES.find((c) => c.code === code)?.name ?? code;

export const CATEGORY_TREE = {
	古文化遗址: [
		'早期人类活动场所',
		'聚落址',
		'城址',
		'窑址',
		'窖藏址',
		'矿冶遗址',
		'战场遗址',
		'驿站古道遗址',
		'军事设施遗址',
		'桥梁码头遗址',
		'祭祀遗址',
		'水下遗址',
		'水利设施遗址',
		'寺庙遗址',
		'宫殿衙署遗址',
		'手工作坊遗址',
		'其他古文化遗址'
	],
	古墓葬: ['帝王陵寝', '名人或贵族墓', '普通墓葬', '其他墓葬'],
	古建筑: [
		'城垣城楼（及其他军事建筑及设施）',
		'宫殿府邸',
		'宅第民居',
		'坛庙祠堂',
		'衙署官邸（及其他行政管理建筑）',
		'学堂书院（及其他文化教育建筑）',
		'驿站会馆（及其他交通道路设施、旅行服务设施）',
		'店铺作坊（及其他金融商贸建筑、工商业建筑设施）',
		'牌坊影壁',
		'亭台楼阙（及其他景观建筑、戏曲演出建筑、天文观测建筑）',
		'寺观塔阁（及其他宗教建筑）',
		'苑囿园林',
		'桥涵码头',
		'堤坝渠堰（及其他水利设施）',
		'池塘井泉',
		'其他古建筑'
	],
	石窟寺及石刻: ['石窟寺', '摩崖石刻', '碑刻', '石雕', '岩画', '其他石刻'],
	近现代重要史迹及代表性建筑: [
		'重要历史事件和重要机构旧址',
		'重要历史事件及人物活动纪念地',
		'名人故居',
		'传统民居',
		'宗教建筑',
		'名人墓',
		'烈士墓及纪念设施',
		'工业建筑及附属物',
		'金融商贸建筑',
		'中华老字号',
		'水利设施及附属物',
		'文化教育建筑及附属物',
		'医疗卫生建筑',
		'军事建筑及设施',
		'交通道路设施',
		'典型风格建筑或构筑物',
		'其他近现代重要史迹及代表性建筑'
	],
	其他: [
		'文化景观',
		'古猿、古人类以及与古人类活动有关的古生物化石地点',
		'其他具有一定历史、艺术、科学价值的物质实体'
	]
} as const;

export type Category = keyof typeof CATEGORY_TREE;
export type Subcategory = (typeof CATEGORY_TREE)[Category][number];
export const CATEGORIES = Object.keys(CATEGORY_TREE) as [Category, ...Category[]];
export const SUBCATEGORIES = CATEGORIES.flatMap((c) => [...CATEGORY_TREE[c]]) as [
	Subcategory,
	...Subcategory[]
];
/** Category code digit (1–6) as in the 全国重点文物保护单位 numbering. */
export const CATEGORY_CODE: Record<Category, string> = {
	古文化遗址: '1',
	古墓葬: '2',
	古建筑: '3',
	石窟寺及石刻: '4',
	近现代重要史迹及代表性建筑: '5',
	其他: '6'
};

export function subcategoriesOf(category: string): readonly string[] {
	return (CATEGORY_TREE as Record<string, readonly string[]>)[category] ?? [];
}

export function categoryOfSubcategory(subcategory: string): Category | undefined {
	return CATEGORIES.find((c) => (CATEGORY_TREE[c] as readonly string[]).includes(subcategory));
}

/** 统计年代 in chronological order. */
export const ERA_GROUPS = [
	'旧石器时代',
	'新石器时代',
	'夏商周（含春秋）',
	'战国秦汉',
	'三国两晋南北朝',
	'隋唐五代十国',
	'宋辽西夏金元',
	'明代',
	'清代',
	'中华民国',
	'中华人民共和国',
	'不详'
] as const;
export type EraGroup = (typeof ERA_GROUPS)[number];

/** Named periods (年代 terms) and the 统计年代 each belongs to. */
export const ERAS = [
	{ name: '旧石器时代', group: '旧石器时代' },
	{ name: '新石器时代', group: '新石器时代' },
	{ name: '青铜时代', group: '夏商周（含春秋）' },
	{ name: '夏', group: '夏商周（含春秋）' },
	{ name: '商', group: '夏商周（含春秋）' },
	{ name: '西周', group: '夏商周（含春秋）' },
	{ name: '东周', group: '夏商周（含春秋）' },
	{ name: '春秋', group: '夏商周（含春秋）' },
	{ name: '战国', group: '战国秦汉' },
	{ name: '秦', group: '战国秦汉' },
	{ name: '西汉', group: '战国秦汉' },
	{ name: '新莽', group: '战国秦汉' },
	{ name: '东汉', group: '战国秦汉' },
	{ name: '汉', group: '战国秦汉' },
	{ name: '三国', group: '三国两晋南北朝' },
	{ name: '西晋', group: '三国两晋南北朝' },
	{ name: '东晋', group: '三国两晋南北朝' },
	{ name: '十六国', group: '三国两晋南北朝' },
	{ name: '南北朝', group: '三国两晋南北朝' },
	{ name: '北魏', group: '三国两晋南北朝' },
	{ name: '隋', group: '隋唐五代十国' },
	{ name: '唐', group: '隋唐五代十国' },
	{ name: '五代十国', group: '隋唐五代十国' },
	{ name: '北宋', group: '宋辽西夏金元' },
	{ name: '南宋', group: '宋辽西夏金元' },
	{ name: '辽', group: '宋辽西夏金元' },
	{ name: '西夏', group: '宋辽西夏金元' },
	{ name: '金', group: '宋辽西夏金元' },
	{ name: '元', group: '宋辽西夏金元' },
	{ name: '明', group: '明代' },
	{ name: '清', group: '清代' },
	{ name: '清末（1840—1911）', group: '清代' },
	{ name: '中华民国', group: '中华民国' },
	{ name: '中华人民共和国', group: '中华人民共和国' },
	{ name: '不详', group: '不详' }
] as const satisfies readonly { name: string; group: EraGroup }[];

/**
 * 统计年代 allowed per category (QC ERA-001 rejects the others):
 * 近现代 not before 清代; the four ancient categories not in 中华民国 or 中华人民共和国;
 * 古建筑 not in the Stone Ages.
 */
export function eraGroupsForCategory(category: string): readonly EraGroup[] {
	switch (category) {
		case '近现代重要史迹及代表性建筑':
			return ['清代', '中华民国', '中华人民共和国', '不详'];
		case '古建筑':
			return ERA_GROUPS.filter(
				(g) => !['旧石器时代', '新石器时代', '中华民国', '中华人民共和国'].includes(g)
			);
		case '古文化遗址':
		case '古墓葬':
		case '石窟寺及石刻':
			return ERA_GROUPS.filter((g) => g !== '中华民国' && g !== '中华人民共和国');
		default:
			return ERA_GROUPS;
	}
}

export const PROTECTION_LEVELS = [
	'全国重点文物保护单位',
	'省级文物保护单位',
	'市级文物保护单位',
	'县级文物保护单位',
	'尚未核定公布为文物保护单位的不可移动文物'
] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];
export const PROTECTION_LEVEL_SHORT: Record<ProtectionLevel, string> = {
	全国重点文物保护单位: '国保',
	省级文物保护单位: '省保',
	市级文物保护单位: '市保',
	县级文物保护单位: '县保',
	尚未核定公布为文物保护单位的不可移动文物: '未定级'
};
/** Inner Mongolia's own names for the levels, shown beside the standard's. */
export const PROTECTION_LEVEL_LOCAL: Partial<Record<ProtectionLevel, string>> = {
	省级文物保护单位: '自治区级文物保护单位',
	县级文物保护单位: '旗县级文物保护单位'
};

export const OWNERSHIP = ['国家所有', '集体所有', '私人所有', '其他'] as const;
export const USAGE = [
	'办公场所',
	'开放参观',
	'宗教活动',
	'军事设施',
	'工农业生产',
	'商业用途',
	'居住场所',
	'无人使用',
	'其他'
] as const;
export const INDUSTRY = ['文化', '军队', '教育', '宗教', '农业', '工业', '商业', '其他'] as const;
export const OPEN_STATUS = ['开放', '未开放'] as const;
export const CONDITIONS = ['好', '较好', '一般', '较差', '差'] as const;

export const THREAT_GROUPS = [
	{
		group: '自然因素',
		items: [
			'地震',
			'水灾',
			'火灾',
			'生物破坏',
			'污染',
			'雷电',
			'风灾',
			'泥石流',
			'冰雹',
			'腐蚀',
			'沙漠化（风沙侵蚀）',
			'水土流失',
			'其他自然因素'
		]
	},
	{
		group: '人为因素',
		items: [
			'战争动乱',
			'生产生活活动',
			'盗掘盗窃',
			'不合理利用',
			'违规发掘修缮',
			'年久失修',
			'工程建设',
			'采矿',
			'农耕',
			'其他人为因素'
		]
	}
] as const;
export type Threat = (typeof THREAT_GROUPS)[number]['items'][number];
export const THREATS = THREAT_GROUPS.flatMap((g) => [...g.items]) as [Threat, ...Threat[]];

export const SURVEY_KINDS = ['复查', '新发现'] as const;
export const CHANGE_TYPES = ['无变更', '变更类型', '合并', '拆分', '消失'] as const;
export const POINT_TYPES = ['中心点', '边界点', '标志点', '其他'] as const;
export const SPECIAL_LISTS = [
	'革命文物名录',
	'世界文化遗产',
	'大运河规划体系',
	'长城资源系统',
	'中国重要农业文化遗产',
	'中华老字号',
	'国家工业遗产',
	'中央企业工业文化遗产'
] as const;
export const PHOTO_KINDS = ['全景', '近景', '细部', '环境', '标志'] as const;
export const PHOTO_DIRECTIONS = [
	'由东向西',
	'由西向东',
	'由南向北',
	'由北向南',
	'由东北向西南',
	'由西南向东北',
	'由东南向西北',
	'由西北向东南',
	'俯拍',
	'其他'
] as const;
export const LOCATION_SOURCES = ['gnss', 'rtk', 'map', 'manual'] as const;
export type LocationSource = (typeof LOCATION_SOURCES)[number];
export const LOCATION_SOURCE_LABEL: Record<LocationSource, string> = {
	gnss: '平板定位',
	rtk: 'RTK/北斗高精度',
	map: '地图选点',
	manual: '手工输入'
};

/** Server-side review status (contract §2). */
export const RECORD_STATUSES = [
	'submitted',
	'returned',
	'county_approved',
	'accepted',
	'published'
] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** What the device shows for a site or record (contract §2), in workflow order. */
export const DEVICE_STATUSES = [
	'未复查',
	'草稿',
	'待上传',
	'上传中',
	'已送达',
	'已退回',
	/** The server holds a newer version; the surveyor must decide (device only). */
	'冲突',
	'审核中',
	'已通过',
	'已公布'
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const DEVICE_STATUS_OF: Record<RecordStatus, DeviceStatus> = {
	submitted: '已送达',
	returned: '已退回',
	county_approved: '审核中',
	accepted: '已通过',
	published: '已公布'
};
