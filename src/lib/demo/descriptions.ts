import {
	PROTECTION_LEVEL_LOCAL,
	type EraGroup,
	type ProtectionLevel
} from '../domain/codelists/index.js';
import type { TemplateKey } from './profiles.js';
import type { Rng } from './rng.js';

/** Marks every demo description (at its start). */
export const DEMO_PREFIX = '【演示数据】';
/** Ends every generated description. */
export const DEMO_SUFFIX = '本条为系统生成的演示数据，非真实普查数据。';

export type DescribeInput = {
	template: TemplateKey;
	name: string;
	noun: string;
	address: string;
	landform: string;
	era: string;
	eraGroup: EraGroup;
	areaM2: number;
	widthM: number;
	heightM: number;
	condition: string;
	threats: readonly string[];
	protectionLevel: ProtectionLevel;
};

const ARTIFACTS: Record<EraGroup, readonly string[]> = {
	旧石器时代: ['石核', '石片', '刮削器', '尖状器', '动物骨骼化石'],
	新石器时代: ['夹砂灰陶片', '泥质红陶片', '彩陶片', '磨制石斧', '石刀', '细石器'],
	'夏商周（含春秋）': ['三足瓮残片', '蛇纹鬲残片', '花边口沿陶片', '细石器', '石磨盘残块'],
	战国秦汉: ['绳纹灰陶片', '板瓦残片', '筒瓦残片', '陶罐口沿', '铜镞'],
	三国两晋南北朝: ['磨光暗纹灰陶片', '泥质灰陶片', '瓦片'],
	隋唐五代十国: ['泥质灰陶片', '白瓷片', '莲花纹瓦当残块', '开元通宝铜钱'],
	宋辽西夏金元: ['黑釉瓷片', '白釉瓷片', '剔花瓷片', '钧釉瓷片', '铁器残件'],
	明代: ['青花瓷片', '黑釉粗瓷片', '砖瓦残块'],
	清代: ['青花瓷片', '酱釉瓷片', '砖瓦残块', '铜钱'],
	中华民国: ['砖瓦残块'],
	中华人民共和国: ['砖瓦残块'],
	不详: ['少量陶片', '碎石块', '零星瓷片']
};

function artifacts(rng: Rng, group: EraGroup): string {
	return rng.sample(ARTIFACTS[group], rng.int(2, 3)).join('、');
}

function metres(v: number): string {
	if (v >= 100) return String(Math.round(v / 10) * 10);
	if (v >= 10) return String(Math.round(v));
	return v.toFixed(1);
}

function body(rng: Rng, d: DescribeInput): string {
	const a = () => artifacts(rng, d.eraGroup);
	const w = metres(d.widthM);
	const h = metres(d.heightM);
	switch (d.template) {
		case 'settlement':
			return `遗址地处${d.landform}，地表散见${a()}等遗物，${rng.pick([
				'局部断面可见灰层及灰坑',
				'因风蚀局部暴露灰土',
				'遗物分布较为密集',
				'遗物分布较为稀疏',
				'冲沟断面可见厚约0.3至0.8米的文化层'
			])}，遗物分布范围东西约${w}米、南北约${h}米。`;
		case 'paleo':
			return `地点位于${d.landform}，在${rng.pick(['河湖相沉积', '黄土堆积', '砂砾层'])}中采集有${a()}等，${rng.pick(['地层剖面较为清楚', '遗物多出自冲沟两侧断面'])}。`;
		case 'city':
			return `城址平面大致呈${rng.pick(['长方形', '方形', '不规则形'])}，东西约${w}米、南北约${h}米，夯土城墙${rng.pick(['大部分保存', '断续可辨', '仅存墙基'])}，${rng.pick(['可辨城门及马面', '南墙中部可辨门址', '城内可见建筑台基'])}。城内散见${a()}等遗物。`;
		case 'beacon':
			if (d.noun === '长城段')
				return `该段长城墙体为${rng.pick(['夯土', '石块垒砌', '土石混筑'])}，现存长约${metres(Math.max(d.widthM, d.heightM))}米，残高0.5至2米，${rng.pick(['沿线可见烽燧及敌台', '部分墙体被流沙掩埋', '墙体断续延伸'])}。`;
			return `烽燧为${rng.pick(['黄土夯筑', '石块垒砌', '土石混筑'])}，平面近${rng.pick(['方形', '圆形'])}，残高约${rng.int(2, 8)}米，底边长约${rng.int(6, 16)}米，${rng.pick(['与周边烽燧遥相呼应', '当地俗称“墩台”', '周围散见少量砖瓦残块'])}。`;
		case 'kiln':
			return `地表可见窑室残迹及红烧土、窑渣，散见${a()}等遗物，${rng.pick(['窑室顶部已坍塌', '断面可见窑壁烧结面', '共可辨窑址2至5座'])}。`;
		case 'road':
			return `古道大致呈${rng.pick(['南北', '东北—西南', '西北—东南'])}走向，路面宽约${rng.int(20, 50)}米，可辨认路基及两侧取土坑，沿线散见${a()}等遗物。`;
		case 'temple-ruin':
			return `遗址地表可见建筑台基及砖瓦残块，散见${a()}等遗物，据当地群众介绍原为一处召庙，${rng.pick(['后毁于战火', '民国时期已废弃', '20世纪60年代被拆除'])}。`;
		case 'generic-ruin':
			return `遗址地处${d.landform}，地表散见${a()}等遗物，遗存分布范围约${d.areaM2}平方米，${rng.pick(['局部可见灰土', '遗物较为零散', '地表植被覆盖较好'])}。`;
		case 'tombs':
			return `墓地地处${d.landform}，地表可见${rng.pick(['石块堆', '封土堆', '盗洞'])}约${rng.int(3, 40)}处，${rng.pick(['部分墓葬曾遭盗掘', '因水土流失局部墓葬暴露', '地表未见明显扰动'])}，采集有${a()}等遗物。`;
		case 'tomb':
			return `墓葬地处${d.landform}，地表${rng.pick(['存有低矮封土', '可见石块圈', '未见封土'])}，${rng.pick(['曾遭盗掘', '保存尚可', '被流沙部分掩埋'])}，周边散见${a()}等遗物。`;
		case 'temple':
			return `现存${rng.pick(['大雄宝殿、经堂及僧舍', '正殿、配殿及山门', '经堂、佛殿及白塔'])}等建筑，${rng.pick(['为汉藏结合式建筑', '砖木结构，歇山顶', '建筑布局坐北朝南'])}，${rng.pick(['主体建筑保存尚好', '部分建筑为后期重修', '附属建筑多已坍塌'])}。`;
		case 'building':
			return `现存${rng.pick(['院落一进，正房及厢房', '主体建筑一座', '围墙及部分房屋', '墙体及门楼'])}，${rng.pick(['砖木结构', '土木结构', '石砌墙体'])}，${rng.pick(['保存基本完整', '屋面局部塌漏', '部分墙体开裂'])}，占地面积约${d.areaM2}平方米。`;
		case 'grotto':
			return `现存洞窟${rng.int(2, 12)}座，开凿于${d.landform}上，${rng.pick(['窟内残存壁画及泥塑痕迹', '窟内壁画多已剥落', '部分洞窟内可见题记'])}，窟前可见建筑遗迹。`;
		case 'petroglyph':
			return `岩画分布于${d.landform}，共${rng.int(3, 60)}组，采用${rng.pick(['凿刻', '磨刻', '凿刻与磨刻相结合'])}法，表现${rng.pick(['北山羊、马、骑者', '鹿、狩猎场面', '人面像、符号', '牛、羊及放牧场面'])}等形象。`;
		case 'stele':
			return `${d.noun}为${rng.pick(['砂岩', '花岗岩', '青石'])}质，${rng.pick(['碑文漫漶不清', '可辨部分汉文及蒙古文', '表面风化较重'])}，${rng.pick(['原位保存', '已移至村内保存', '周边散见砖瓦残块'])}。`;
		case 'modern':
			return `现存${rng.pick(['砖木结构平房数间', '窑洞数孔及院墙', '主体建筑及附属用房', '建筑基址及部分墙体'])}，${rng.pick(['保存基本完整', '局部经过维修', '部分建筑已坍塌'])}，是研究当地近现代历史的实物资料。`;
		case 'memorial':
			return `${rng.pick(['纪念设施坐北朝南', '墓前立有纪念碑', '园内安葬有当地牺牲的烈士'])}，${rng.pick(['每年清明当地群众前来祭扫', '周边设有围墙', '碑文记述了相关事迹'])}。`;
		case 'landscape':
			return `敖包由石块堆砌而成，${rng.pick(['中心插有柳枝', '主敖包两侧各有小敖包', '周边草场开阔'])}，当地牧民每年${rng.pick(['农历五月', '夏季'])}举行祭祀活动，是研究当地蒙古族民俗的重要实物。`;
		case 'fossil':
			return `地点位于${d.landform}，${rng.pick(['河湖相沉积', '黄土堆积'])}中出露${rng.pick(['披毛犀、野马', '鸵鸟蛋皮、羚羊', '纳玛象、野驴'])}等动物化石。`;
	}
}

function levelSentence(level: ProtectionLevel): string {
	if (level === '尚未核定公布为文物保护单位的不可移动文物') return '尚未核定公布为文物保护单位。';
	const local = PROTECTION_LEVEL_LOCAL[level];
	return `现为${local ?? level}。`;
}

function eraSentence(d: DescribeInput): string {
	if (d.era === '不详') return '年代不详。';
	if (d.template === 'temple' || d.template === 'building' || d.template === 'modern')
		return `始建年代为${d.era}。`;
	return `${d.template === 'memorial' || d.template === 'landscape' ? '' : '根据地表遗物初步判断，'}年代为${d.era}。`;
}

/** A 简介 for a generated site: at least 60 Chinese characters, marked as demo data. */
export function describeSite(rng: Rng, d: DescribeInput): string {
	return [
		DEMO_PREFIX,
		`${d.name}位于${d.address}。`,
		body(rng, d),
		eraSentence(d),
		`现状评估为“${d.condition}”，主要影响因素为${d.threats.join('、')}。`,
		levelSentence(d.protectionLevel),
		DEMO_SUFFIX
	].join('');
}
