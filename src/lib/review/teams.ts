/** A surveyor of the county the teams page offers as a member, with the team it is in now. */
export type TeamCandidate = {
	username: string;
	displayName: string | null;
	disabled: boolean;
	team: { id: number; name: string } | null;
};
