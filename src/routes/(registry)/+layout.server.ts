import type { LayoutServerLoad } from './$types';
import { app } from '$lib/server/instance.js';

/**
 * The public registry needs no login and reads nothing of the visitor: a signed-in reviewer
 * gets the same pages as anyone (locals.user is never read here). Only whether demo accounts
 * exist (contract §4: every page of a demo server says so).
 */
export const load: LayoutServerLoad = async () => ({ demo: await app().demo() });
