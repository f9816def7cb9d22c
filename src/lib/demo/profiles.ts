import type { Category, EraGroup, Subcategory, Threat } from '../domain/codelists/index.js';
import type { Weighted } from './rng.js';

/**
 * Category shares of Inner Mongolia's third census (21,099 sites: 古遗址 15,240, 古墓葬 3,160,
 * 古建筑 452, 石窟寺及石刻 472, 近现代 1,759, 其他 16), rounded to the demo's targets, in percent.
 */
export const CATEGORY_SHARES: readonly (readonly [Category, number])[] = [
	['古文化遗址', 72.2],
	['古墓葬', 15.2],
	['古建筑', 2.0],
	['石窟寺及石刻', 2.0],
	['近现代重要史迹及代表性建筑', 8.0],
	['其他', 0.6]
];

/**
 * An era option: the 年代 text and its 统计年代. A text starting with `@` is expanded with a
 * year (see `eraText` in the generator): `@qing` 清 with a reign year, `@lateQing` 清光绪/宣统
 * with a year, `@minguo` 民国N年（YYYY）, `@prc` a year of the People's Republic (公元纪年).
 */
export type EraOption = readonly [text: string, group: EraGroup, weight: number];

/** How one kind of site (a subcategory, or a variant of one) looks in the demo. */
export type Variant = {
	/** Type words ending the name (遗址, 墓群 …). */
	words: Weighted<string>;
	/** What the description calls it (该遗址, 该墓群 …). */
	noun: string;
	eras: readonly EraOption[];
	/** Area range, m² (log-uniform). */
	area: readonly [number, number];
	/** Elongation range of the boundary. */
	aspect?: readonly [number, number];
	/** Landform words for the address. */
	landforms: readonly string[];
	/** Built structures (古建筑, 近现代) are usually in a village and may be in use. */
	built?: boolean;
	/** Description template key. */
	template: TemplateKey;
	weight: number;
};

export type TemplateKey =
	| 'settlement'
	| 'paleo'
	| 'city'
	| 'beacon'
	| 'kiln'
	| 'road'
	| 'temple-ruin'
	| 'generic-ruin'
	| 'tombs'
	| 'tomb'
	| 'temple'
	| 'building'
	| 'grotto'
	| 'petroglyph'
	| 'stele'
	| 'modern'
	| 'memorial'
	| 'landscape'
	| 'fossil';

export type SubProfile = { sub: Subcategory; variants: readonly Variant[] };

const NEO: EraOption = ['新石器时代', '新石器时代', 1];
const BRONZE: EraOption = ['青铜时代', '夏商周（含春秋）', 1];

/** Re-weights an era option. */
function w(option: EraOption, weight: number): EraOption {
	return [option[0], option[1], weight];
}

const SETTLEMENT_ERAS: readonly EraOption[] = [
	w(NEO, 30),
	['新石器时代至青铜时代', '新石器时代', 6],
	w(BRONZE, 12),
	['战国至汉', '战国秦汉', 9],
	['汉', '战国秦汉', 16],
	['北魏', '三国两晋南北朝', 2],
	['唐', '隋唐五代十国', 5],
	['北宋', '宋辽西夏金元', 1],
	['西夏', '宋辽西夏金元', 4],
	['元', '宋辽西夏金元', 3],
	['明', '明代', 3],
	['清', '清代', 6],
	['不详', '不详', 3]
];

const TOMB_ERAS: readonly EraOption[] = [
	w(NEO, 4),
	w(BRONZE, 14),
	['战国', '战国秦汉', 10],
	['汉', '战国秦汉', 34],
	['北魏', '三国两晋南北朝', 3],
	['唐', '隋唐五代十国', 5],
	['西夏', '宋辽西夏金元', 3],
	['元', '宋辽西夏金元', 6],
	['明', '明代', 4],
	['清', '清代', 12],
	['不详', '不详', 5]
];

const MODERN_REPUBLIC: readonly EraOption[] = [
	['@minguo', '中华民国', 3],
	['中华民国', '中华民国', 1]
];
const MODERN_PRC: readonly EraOption[] = [
	['@prc', '中华人民共和国', 3],
	['中华人民共和国', '中华人民共和国', 1]
];

const RUIN_LANDFORMS = ['台地', '缓坡地', '梁峁坡地', '沙梁', '河岸二级台地', '沟畔台地', '梁顶'];

export const SUB_PROFILES: Record<Category, readonly SubProfile[]> = {
	古文化遗址: [
		{
			sub: '聚落址',
			variants: [
				{
					words: [['遗址', 1]],
					noun: '遗址',
					eras: SETTLEMENT_ERAS,
					area: [1_500, 150_000],
					landforms: RUIN_LANDFORMS,
					template: 'settlement',
					weight: 1
				}
			]
		},
		{
			sub: '早期人类活动场所',
			variants: [
				{
					words: [
						['遗址', 2],
						['石器地点', 1]
					],
					noun: '地点',
					eras: [
						['旧石器时代', '旧石器时代', 3],
						['旧石器时代晚期', '旧石器时代', 2],
						['新石器时代', '新石器时代', 1]
					],
					area: [800, 40_000],
					landforms: ['河谷阶地', '沟谷断崖', '湖积台地', '沙丘间洼地'],
					template: 'paleo',
					weight: 1
				}
			]
		},
		{
			sub: '城址',
			variants: [
				{
					words: [
						['城址', 3],
						['古城', 2],
						['障城', 1]
					],
					noun: '城址',
					eras: [
						['战国', '战国秦汉', 3],
						['战国至汉', '战国秦汉', 4],
						['汉', '战国秦汉', 10],
						['北魏', '三国两晋南北朝', 2],
						['隋至唐', '隋唐五代十国', 2],
						['唐', '隋唐五代十国', 4],
						['西夏', '宋辽西夏金元', 3],
						['元', '宋辽西夏金元', 2],
						['明', '明代', 3]
					],
					area: [20_000, 600_000],
					aspect: [1, 1.6],
					landforms: ['河岸台地', '平滩地', '开阔台地', '缓坡地'],
					template: 'city',
					weight: 1
				}
			]
		},
		{
			sub: '军事设施遗址',
			variants: [
				{
					words: [
						['烽燧', 6],
						['烽火台', 2],
						['墩台', 1]
					],
					noun: '烽燧',
					eras: [
						['明', '明代', 10],
						['汉', '战国秦汉', 4],
						['战国', '战国秦汉', 2],
						['秦', '战国秦汉', 2],
						['唐', '隋唐五代十国', 1]
					],
					area: [80, 1_500],
					landforms: ['梁顶', '山梁最高处', '高台地', '沙梁顶部'],
					template: 'beacon',
					weight: 4
				},
				{
					words: [
						['长城遗址', 2],
						['边墙遗址', 1]
					],
					noun: '长城段',
					eras: [
						['战国', '战国秦汉', 3],
						['秦', '战国秦汉', 2],
						['明', '明代', 5]
					],
					area: [3_000, 60_000],
					aspect: [4, 8],
					landforms: ['梁峁之上', '沙地', '缓坡地'],
					template: 'beacon',
					weight: 1
				}
			]
		},
		{
			sub: '窑址',
			variants: [
				{
					words: [['窑址', 1]],
					noun: '窑址',
					eras: [
						['汉', '战国秦汉', 3],
						['辽', '宋辽西夏金元', 1],
						['西夏', '宋辽西夏金元', 3],
						['元', '宋辽西夏金元', 2],
						['明', '明代', 2],
						['清', '清代', 3]
					],
					area: [200, 8_000],
					landforms: ['沟畔', '缓坡地', '台地边缘'],
					template: 'kiln',
					weight: 1
				}
			]
		},
		{
			sub: '驿站古道遗址',
			variants: [
				{
					words: [
						['古道遗址', 2],
						['驿站遗址', 1]
					],
					noun: '古道遗址',
					eras: [
						['秦', '战国秦汉', 2],
						['汉', '战国秦汉', 2],
						['明', '明代', 1],
						['清', '清代', 2]
					],
					area: [2_000, 40_000],
					aspect: [3, 7],
					landforms: ['梁脊', '沙地', '缓坡地'],
					template: 'road',
					weight: 1
				}
			]
		},
		{
			sub: '寺庙遗址',
			variants: [
				{
					words: [
						['召庙遗址', 2],
						['寺遗址', 1],
						['庙遗址', 1]
					],
					noun: '寺庙遗址',
					eras: [
						['元', '宋辽西夏金元', 1],
						['西夏', '宋辽西夏金元', 1],
						['明', '明代', 2],
						['清', '清代', 5]
					],
					area: [400, 20_000],
					landforms: ['山前台地', '缓坡地', '沟掌台地'],
					template: 'temple-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '祭祀遗址',
			variants: [
				{
					words: [['祭祀遗址', 1]],
					noun: '祭祀遗址',
					eras: [w(BRONZE, 2), ['汉', '战国秦汉', 1], ['元', '宋辽西夏金元', 1], ['清', '清代', 2]],
					area: [150, 5_000],
					landforms: ['梁顶', '山丘顶部', '高台地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '手工作坊遗址',
			variants: [
				{
					words: [['作坊遗址', 1]],
					noun: '作坊遗址',
					eras: [
						['汉', '战国秦汉', 2],
						['唐', '隋唐五代十国', 1],
						['元', '宋辽西夏金元', 1]
					],
					area: [300, 10_000],
					landforms: RUIN_LANDFORMS,
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '矿冶遗址',
			variants: [
				{
					words: [
						['冶铁遗址', 1],
						['冶炼遗址', 1]
					],
					noun: '冶炼遗址',
					eras: [
						['汉', '战国秦汉', 2],
						['明', '明代', 1],
						['清', '清代', 1]
					],
					area: [500, 15_000],
					landforms: ['沟谷台地', '山前坡地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '窖藏址',
			variants: [
				{
					words: [['窖藏', 1]],
					noun: '窖藏址',
					eras: [
						['汉', '战国秦汉', 1],
						['西夏', '宋辽西夏金元', 2],
						['元', '宋辽西夏金元', 1]
					],
					area: [60, 600],
					landforms: ['台地', '缓坡地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '水利设施遗址',
			variants: [
				{
					words: [['古渠遗址', 1]],
					noun: '古渠遗址',
					eras: [
						['汉', '战国秦汉', 1],
						['清', '清代', 2]
					],
					area: [1_000, 30_000],
					aspect: [4, 8],
					landforms: ['河滩地', '平滩地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '战场遗址',
			variants: [
				{
					words: [['古战场遗址', 1]],
					noun: '古战场遗址',
					eras: [
						['汉', '战国秦汉', 1],
						['明', '明代', 1]
					],
					area: [10_000, 200_000],
					landforms: ['开阔滩地', '缓坡地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '宫殿衙署遗址',
			variants: [
				{
					words: [['衙署遗址', 1]],
					noun: '衙署遗址',
					eras: [
						['汉', '战国秦汉', 1],
						['元', '宋辽西夏金元', 1],
						['清', '清代', 1]
					],
					area: [1_000, 20_000],
					landforms: ['台地', '平滩地'],
					template: 'generic-ruin',
					weight: 1
				}
			]
		},
		{
			sub: '其他古文化遗址',
			variants: [
				{
					words: [
						['遗址', 3],
						['石堆遗址', 1]
					],
					noun: '遗址',
					eras: [w(NEO, 2), ['汉', '战国秦汉', 2], ['明', '明代', 1], ['不详', '不详', 3]],
					area: [300, 30_000],
					landforms: RUIN_LANDFORMS,
					template: 'generic-ruin',
					weight: 1
				}
			]
		}
	],
	古墓葬: [
		{
			sub: '普通墓葬',
			variants: [
				{
					words: [
						['墓群', 6],
						['墓地', 2]
					],
					noun: '墓群',
					eras: TOMB_ERAS,
					area: [800, 80_000],
					landforms: ['梁坡', '向阳坡地', '山梁南坡', '台地'],
					template: 'tombs',
					weight: 5
				},
				{
					words: [['墓', 1]],
					noun: '墓葬',
					eras: TOMB_ERAS,
					area: [60, 800],
					landforms: ['梁坡', '向阳坡地', '台地'],
					template: 'tomb',
					weight: 1
				}
			]
		},
		{
			sub: '名人或贵族墓',
			variants: [
				{
					words: [
						['贵族墓', 1],
						['台吉墓', 1],
						['王爷墓', 1]
					],
					noun: '墓葬',
					eras: [
						['汉', '战国秦汉', 1],
						['北魏', '三国两晋南北朝', 1],
						['元', '宋辽西夏金元', 1],
						['清', '清代', 3]
					],
					area: [200, 5_000],
					landforms: ['向阳坡地', '山前台地'],
					template: 'tomb',
					weight: 1
				}
			]
		},
		{
			sub: '其他墓葬',
			variants: [
				{
					words: [
						['石板墓群', 1],
						['塔墓群', 1],
						['墓群', 1]
					],
					noun: '墓群',
					eras: [w(BRONZE, 1), ['元', '宋辽西夏金元', 1], ['清', '清代', 2], ['不详', '不详', 1]],
					area: [300, 20_000],
					landforms: ['梁坡', '山前坡地'],
					template: 'tombs',
					weight: 1
				}
			]
		}
	],
	古建筑: [
		{
			sub: '寺观塔阁（及其他宗教建筑）',
			variants: [
				{
					words: [
						['召', 3],
						['庙', 3],
						['寺', 1],
						['白塔', 1]
					],
					noun: '召庙',
					eras: [
						['明', '明代', 1],
						['清', '清代', 4],
						['@qing', '清代', 3]
					],
					area: [600, 30_000],
					landforms: ['山前台地', '村内', '沟掌台地'],
					built: true,
					template: 'temple',
					weight: 1
				}
			]
		},
		{
			sub: '宅第民居',
			variants: [
				{
					words: [
						['民居', 2],
						['宅院', 2]
					],
					noun: '民居',
					eras: [
						['清', '清代', 3],
						['清末', '清代', 2],
						['@qing', '清代', 1]
					],
					area: [200, 3_000],
					landforms: ['村内'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '城垣城楼（及其他军事建筑及设施）',
			variants: [
				{
					words: [
						['堡', 1],
						['城堡', 1]
					],
					noun: '城堡',
					eras: [
						['明', '明代', 2],
						['清', '清代', 1]
					],
					area: [2_000, 40_000],
					landforms: ['台地', '梁顶'],
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '坛庙祠堂',
			variants: [
				{
					words: [
						['龙王庙', 2],
						['关帝庙', 1],
						['祠堂', 1]
					],
					noun: '庙宇',
					eras: [
						['清', '清代', 3],
						['@qing', '清代', 1]
					],
					area: [100, 2_000],
					landforms: ['村内'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '宫殿府邸',
			variants: [
				{
					words: [['王府', 1]],
					noun: '王府',
					eras: [
						['清', '清代', 2],
						['@qing', '清代', 1]
					],
					area: [2_000, 20_000],
					landforms: ['镇区', '村内'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '池塘井泉',
			variants: [
				{
					words: [['古井', 1]],
					noun: '古井',
					eras: [
						['明', '明代', 1],
						['清', '清代', 3]
					],
					area: [20, 200],
					landforms: ['村内', '滩地'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		}
	],
	石窟寺及石刻: [
		{
			sub: '岩画',
			variants: [
				{
					words: [['岩画', 1]],
					noun: '岩画',
					eras: [w(NEO, 2), w(BRONZE, 3), ['战国至汉', '战国秦汉', 1], ['不详', '不详', 2]],
					area: [100, 10_000],
					landforms: ['山体岩壁', '沟谷岩壁', '砂岩崖面'],
					template: 'petroglyph',
					weight: 8
				}
			]
		},
		{
			sub: '石窟寺',
			variants: [
				{
					words: [['石窟', 1]],
					noun: '石窟',
					eras: [
						['西夏', '宋辽西夏金元', 1],
						['元', '宋辽西夏金元', 1],
						['明', '明代', 2],
						['清', '清代', 3]
					],
					area: [100, 5_000],
					landforms: ['沟谷崖壁', '砂岩崖壁', '山体断崖'],
					template: 'grotto',
					weight: 4
				}
			]
		},
		{
			sub: '碑刻',
			variants: [
				{
					words: [
						['石碑', 1],
						['碑刻', 1]
					],
					noun: '碑刻',
					eras: [
						['明', '明代', 1],
						['清', '清代', 3],
						['@qing', '清代', 2]
					],
					area: [20, 300],
					landforms: ['村内', '台地', '召庙旧址内'],
					template: 'stele',
					weight: 4
				}
			]
		},
		{
			sub: '摩崖石刻',
			variants: [
				{
					words: [['摩崖石刻', 1]],
					noun: '摩崖石刻',
					eras: [
						['元', '宋辽西夏金元', 1],
						['明', '明代', 1],
						['清', '清代', 2]
					],
					area: [30, 1_000],
					landforms: ['山体岩壁', '沟谷崖壁'],
					template: 'stele',
					weight: 2
				}
			]
		},
		{
			sub: '石雕',
			variants: [
				{
					words: [
						['石人', 1],
						['石雕', 1]
					],
					noun: '石雕',
					eras: [
						['汉', '战国秦汉', 1],
						['唐', '隋唐五代十国', 1],
						['元', '宋辽西夏金元', 1],
						['清', '清代', 1]
					],
					area: [20, 300],
					landforms: ['台地', '梁顶'],
					template: 'stele',
					weight: 2
				}
			]
		}
	],
	近现代重要史迹及代表性建筑: [
		{
			sub: '重要历史事件和重要机构旧址',
			variants: [
				{
					words: [
						['工委旧址', 2],
						['区委旧址', 2],
						['苏维埃政府旧址', 1],
						['游击队驻地旧址', 1]
					],
					noun: '旧址',
					eras: MODERN_REPUBLIC,
					area: [200, 5_000],
					landforms: ['村内', '沟掌台地'],
					built: true,
					template: 'modern',
					weight: 3
				},
				{
					words: [
						['人民公社旧址', 2],
						['供销合作社旧址', 2],
						['粮站旧址', 1],
						['兽医站旧址', 1]
					],
					noun: '旧址',
					eras: MODERN_PRC,
					area: [300, 8_000],
					landforms: ['镇区', '村内'],
					built: true,
					template: 'modern',
					weight: 4
				}
			]
		},
		{
			sub: '烈士墓及纪念设施',
			variants: [
				{
					words: [
						['烈士陵园', 1],
						['烈士墓', 2],
						['革命烈士纪念碑', 1]
					],
					noun: '纪念设施',
					eras: [...MODERN_REPUBLIC, ...MODERN_PRC],
					area: [50, 20_000],
					landforms: ['台地', '镇区', '向阳坡地'],
					built: true,
					template: 'memorial',
					weight: 1
				}
			]
		},
		{
			sub: '传统民居',
			variants: [
				{
					words: [
						['窑洞民居', 2],
						['民居', 1]
					],
					noun: '民居',
					eras: [['@lateQing', '清代', 1], ...MODERN_REPUBLIC, ['@prc', '中华人民共和国', 1]],
					area: [150, 2_000],
					landforms: ['村内', '沟畔'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '宗教建筑',
			variants: [
				{
					words: [['天主教堂', 1]],
					noun: '教堂',
					eras: [
						['@lateQing', '清代', 2],
						['@minguo', '中华民国', 1]
					],
					area: [500, 8_000],
					landforms: ['村内', '镇区'],
					built: true,
					template: 'building',
					weight: 1
				}
			]
		},
		{
			sub: '工业建筑及附属物',
			variants: [
				{
					words: [
						['煤矿旧址', 2],
						['盐场旧址', 1],
						['碱厂旧址', 1],
						['砖瓦厂旧址', 1]
					],
					noun: '旧址',
					eras: MODERN_PRC,
					area: [1_000, 40_000],
					landforms: ['沟谷', '滩地', '沟口台地'],
					built: true,
					template: 'modern',
					weight: 1
				}
			]
		},
		{
			sub: '文化教育建筑及附属物',
			variants: [
				{
					words: [
						['小学旧址', 2],
						['礼堂', 1]
					],
					noun: '旧址',
					eras: [...MODERN_REPUBLIC, ...MODERN_PRC],
					area: [300, 6_000],
					landforms: ['村内', '镇区'],
					built: true,
					template: 'modern',
					weight: 1
				}
			]
		},
		{
			sub: '水利设施及附属物',
			variants: [
				{
					words: [
						['扬水站', 1],
						['渡槽', 1],
						['水库大坝', 1]
					],
					noun: '水利设施',
					eras: MODERN_PRC,
					area: [500, 30_000],
					aspect: [1.5, 4],
					landforms: ['河滩地', '沟谷'],
					built: true,
					template: 'modern',
					weight: 1
				}
			]
		},
		{
			sub: '军事建筑及设施',
			variants: [
				{
					words: [
						['碉堡', 1],
						['防空洞', 1]
					],
					noun: '军事设施',
					eras: [...MODERN_REPUBLIC, ...MODERN_PRC],
					area: [30, 1_500],
					landforms: ['梁顶', '台地'],
					template: 'modern',
					weight: 1
				}
			]
		}
	],
	其他: [
		{
			sub: '文化景观',
			variants: [
				{
					words: [['敖包', 1]],
					noun: '敖包',
					eras: [
						['清', '清代', 2],
						['不详', '不详', 1]
					],
					area: [100, 3_000],
					landforms: ['梁顶', '山丘顶部'],
					template: 'landscape',
					weight: 1
				}
			]
		},
		{
			sub: '古猿、古人类以及与古人类活动有关的古生物化石地点',
			variants: [
				{
					words: [['化石地点', 1]],
					noun: '化石地点',
					eras: [['旧石器时代', '旧石器时代', 1]],
					area: [500, 20_000],
					landforms: ['河谷阶地', '沟谷断崖'],
					template: 'fossil',
					weight: 1
				}
			]
		}
	]
};

/** Relative weight of each subcategory within its category (Ordos-plausible). */
export const SUB_WEIGHTS: Partial<Record<Subcategory, number>> = {
	聚落址: 62,
	早期人类活动场所: 2,
	城址: 5,
	军事设施遗址: 9,
	窑址: 4,
	驿站古道遗址: 1.5,
	寺庙遗址: 4,
	祭祀遗址: 2,
	手工作坊遗址: 1.5,
	矿冶遗址: 1,
	窖藏址: 1,
	水利设施遗址: 0.8,
	战场遗址: 0.4,
	宫殿衙署遗址: 0.4,
	其他古文化遗址: 4,
	普通墓葬: 88,
	名人或贵族墓: 4,
	其他墓葬: 8,
	'寺观塔阁（及其他宗教建筑）': 50,
	宅第民居: 18,
	'城垣城楼（及其他军事建筑及设施）': 8,
	坛庙祠堂: 12,
	宫殿府邸: 6,
	池塘井泉: 6,
	岩画: 40,
	石窟寺: 20,
	碑刻: 22,
	摩崖石刻: 8,
	石雕: 10,
	重要历史事件和重要机构旧址: 38,
	烈士墓及纪念设施: 16,
	传统民居: 12,
	宗教建筑: 6,
	工业建筑及附属物: 9,
	文化教育建筑及附属物: 9,
	水利设施及附属物: 5,
	军事建筑及设施: 3,
	文化景观: 70,
	'古猿、古人类以及与古人类活动有关的古生物化石地点': 30
};

/** Threats that fit a template, with weights. */
export function threatPool(template: TemplateKey): Weighted<Threat> {
	switch (template) {
		case 'tombs':
		case 'tomb':
			return [
				['盗掘盗窃', 5],
				['水土流失', 3],
				['沙漠化（风沙侵蚀）', 3],
				['农耕', 2],
				['工程建设', 1],
				['采矿', 1]
			];
		case 'temple':
		case 'building':
			return [
				['年久失修', 5],
				['风灾', 1],
				['不合理利用', 2],
				['生产生活活动', 2],
				['火灾', 1],
				['生物破坏', 1]
			];
		case 'modern':
		case 'memorial':
			return [
				['年久失修', 5],
				['不合理利用', 2],
				['工程建设', 2],
				['生产生活活动', 2]
			];
		case 'grotto':
		case 'petroglyph':
		case 'stele':
			return [
				['风灾', 3],
				['腐蚀', 2],
				['水土流失', 2],
				['生产生活活动', 2],
				['盗掘盗窃', 1]
			];
		case 'landscape':
			return [
				['风灾', 1],
				['生产生活活动', 1],
				['沙漠化（风沙侵蚀）', 1]
			];
		default:
			return [
				['沙漠化（风沙侵蚀）', 4],
				['水土流失', 4],
				['农耕', 3],
				['工程建设', 2],
				['采矿', 1],
				['盗掘盗窃', 1],
				['生产生活活动', 1],
				['风灾', 1]
			];
	}
}

/** Counties in the western sand lands (风沙) and the eastern coal and loess hills (采矿, 水土流失). */
export const SANDY_COUNTIES = new Set(['150623', '150624', '150625', '150626']);
export const MINING_COUNTIES = new Set(['150602', '150603', '150622', '150627', '150621']);
