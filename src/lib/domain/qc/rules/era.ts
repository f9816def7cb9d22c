import { ERAS, eraGroupsForCategory, type EraGroup } from '../../codelists/index.js';
import { defineRule } from '../context.js';

export type NamedEra = { term: string; group: EraGroup };

/** Words that contain a period's name but name no period (公元前…, 洪武元年). */
const NOT_PERIODS = ['公元', '元年'];

/**
 * The periods of the code lists that an era text names, in the order they appear: ERAS names
 * and the aliases 民国 (中华民国) and 清末 (清代), longest first, each match consumed so that a
 * shorter name inside it (汉 in 西汉) does not count again.
 */
export function erasNamedIn(text: string): NamedEra[] {
	const aliases: NamedEra[] = [
		{ term: '民国', group: '中华民国' },
		{ term: '清末', group: '清代' }
	];
	const terms: NamedEra[] = [
		...ERAS.map((e): NamedEra => ({ term: e.name, group: e.group })),
		...aliases
	].sort((a, b) => b.term.length - a.term.length);
	let rest = text;
	for (const word of NOT_PERIODS) rest = rest.split(word).join('\u0000'.repeat(word.length));
	const found: { at: number; era: NamedEra }[] = [];
	for (const era of terms) {
		const at = rest.indexOf(era.term);
		if (at < 0) continue;
		found.push({ at, era });
		rest = rest.split(era.term).join('\u0000'.repeat(era.term.length));
	}
	return found.sort((a, b) => a.at - b.at).map((f) => f.era);
}

export const ERA_001 = defineRule(
	'ERA-001',
	'error',
	'统计年代与类别不符',
	(record, _ctx, report) => {
		const { category, eraGroup } = record;
		if (!category || !eraGroup) return;
		const allowed = eraGroupsForCategory(category);
		if (allowed.includes(eraGroup)) return;
		report(
			`类别「${category}」的统计年代不能是「${eraGroup}」：请核对统计年代（可选：${allowed.join('、')}），或改正类别`,
			'eraGroup'
		);
	}
);

export const ERA_002 = defineRule(
	'ERA-002',
	'warning',
	'年代与统计年代不符',
	(record, _ctx, report) => {
		const { era, eraGroup } = record;
		if (!era || !eraGroup) return;
		const named = erasNamedIn(era);
		if (named.length === 0 || named.some((n) => n.group === eraGroup)) return;
		const groups = [...new Set(named.map((n) => n.group))];
		report(
			`年代「${era.trim()}」属于统计年代「${groups.join('」或「')}」，与所选统计年代「${eraGroup}」不符：请核对年代，或把统计年代改为「${groups.join('」或「')}」`,
			'eraGroup'
		);
	}
);
