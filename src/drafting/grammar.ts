// The domain grammar of conflict reporting, as data: who says things (attribution verbs,
// unnamed speakers), what happened to whom (casualty verbs, victim nouns and their sides), what
// kind of statement it is, what the reporting says about verification, revisions and sources.
// The drafter (src/drafting/) reads texts through these tables; adding a word here is enough
// for it to be understood everywhere.
import type { ClaimantAffiliation, FigureMetric, OrganisationKind, Side, SourceKind, StatementKind, VictimCategory } from '../generated/prisma/enums.js';

/** Verbs that attribute words to a speaker ("officials said", "the BLA claimed"), in every form the drafter accepts. */
export const ATTRIBUTION_VERBS: readonly string[] = [
  'said', 'says', 'say', 'saying', 'told', 'tells', 'telling', 'stated', 'states', 'reported', 'reports', 'reporting',
  'claimed', 'claims', 'claiming', 'announced', 'announces', 'confirmed', 'confirms', 'confirming', 'added', 'adds',
  'noted', 'alleged', 'alleges', 'insisted', 'warned', 'condemned', 'condemns', 'denied', 'denies', 'denying',
  'acknowledged', 'admitted', 'declared', 'estimated', 'put', 'puts', 'quoted', 'cited', 'wrote', 'posted', 'tweeted',
  'revised', 'updated', 'raised', 'lowered', 'corrected', 'accused', 'blamed', 'described', 'rejected', 'dismissed', 'disputed', 'maintained', 'asserted',
];

/** Attribution verbs whose subject is more often the thing counted than a speaker; accepted only with a speaker-like subject. */
export const WEAK_ATTRIBUTION_VERBS: ReadonlySet<string> = new Set(['put', 'puts', 'raised', 'lowered', 'updated', 'revised', 'estimated', 'described', 'reported', 'reports']);

/** Phrases that open an attribution with the speaker after them. */
export const ATTRIBUTION_PREFIXES: readonly string[] = ['according to', 'citing', 'quoting'];

/** Verbs of counting victims, and the metric each says. Passive and active forms alike. */
export const CASUALTY_VERBS: readonly { forms: readonly string[]; metric: FigureMetric }[] = [
  { metric: 'KILLED', forms: ['killed', 'killing', 'kill', 'kills', 'dead', 'died', 'die', 'slain', 'shot dead', 'gunned down', 'perished', 'lost their lives', 'massacred', 'executed', 'eliminated', 'neutralised', 'neutralized', 'murdered', 'beheaded', 'lynched', 'lost', 'losing', 'sent to hell', 'embraced shahadat', 'embraced martyrdom', 'martyred', 'were martyred', 'laid down their lives', 'succumbed to their injuries', 'succumbed to injuries'] },
  { metric: 'INJURED', forms: ['wounded', 'wounding', 'injured', 'injuring', 'injures', 'hurt', 'hospitalised', 'hospitalized', 'maimed'] },
  { metric: 'ABDUCTED', forms: ['abducted', 'abducting', 'kidnapped', 'kidnapping', 'taken hostage', 'held hostage', 'seized', 'taken captive'] },
  { metric: 'ARRESTED', forms: ['arrested', 'arresting', 'detained', 'detaining', 'apprehended', 'rounded up', 'taken into custody', 'captured', 'capturing'] },
  { metric: 'MISSING', forms: ['missing', 'unaccounted for'] },
  { metric: 'DISPLACED', forms: ['displaced', 'displacing', 'fled', 'forced to flee', 'uprooted', 'evacuated', 'moved to relief camps', 'moved to camps', 'took shelter', 'taken shelter', 'taken refuge', 'sought refuge', 'left their homes'] },
  { metric: 'SURRENDERED', forms: ['surrendered', 'surrendering', 'laid down their arms', 'gave themselves up'] },
];

/** Nouns that say the metric themselves ("a death toll of 11", "five deaths"). */
export const CASUALTY_NOUNS: readonly { forms: readonly string[]; metric: FigureMetric }[] = [
  { metric: 'KILLED', forms: ['death toll', 'toll', 'deaths', 'dead', 'fatalities', 'bodies', 'killed', 'lives', 'death count'] },
  { metric: 'INJURED', forms: ['injuries', 'wounded', 'injured'] },
  { metric: 'ABDUCTED', forms: ['hostages', 'abductees'] },
  { metric: 'ARRESTED', forms: ['arrests', 'detainees'] },
  { metric: 'DISPLACED', forms: ['refugees', 'displaced people'] },
];

/** Who is counted: victim nouns, the category and the side they belong to. Multi-word forms first when they overlap. */
export const VICTIM_NOUNS: readonly { forms: readonly string[]; category: VictimCategory; side: Side }[] = [
  { category: 'SECURITY_PERSONNEL', side: 'STATE_FORCES', forms: ['guardsmen', 'guard members', 'national guard members', 'gendarmes', 'security personnel', 'security forces', 'security officials', 'security force members', 'personnel', 'paramilitaries', 'paramilitary troops', 'frontier corps', 'guards', 'security guards', 'law enforcers', 'members of the security forces', 'servicemen', 'forces'] },
  { category: 'SOLDIERS', side: 'STATE_FORCES', forms: ['soldiers', 'soldier', 'troops', 'troopers', 'army personnel', 'servicemembers', 'officers and soldiers', 'sailors', 'airmen', 'commandos', 'marines'] },
  { category: 'POLICE', side: 'STATE_FORCES', forms: ['policemen', 'policeman', 'police officers', 'police', 'policewomen', 'constables', 'cops', 'police personnel', 'levies', 'officers'] },
  { category: 'MILITANTS', side: 'NON_STATE_ARMED_GROUP', forms: ['militants', 'militant', 'insurgents', 'terrorists', 'rebels', 'fighters', 'attackers', 'assailants', 'gunmen', 'armed men', 'jihadists', 'separatists', 'suicide bombers', 'bombers', 'extremists', 'miscreants', 'khawarij', 'combatants', 'members of the group'] },
  { category: 'MIGRANT_WORKERS', side: 'CIVILIAN', forms: ['migrant workers', 'labourers', 'laborers', 'workers', 'construction workers'] },
  { category: 'CIVILIANS', side: 'CIVILIAN', forms: ['civilians', 'civilian', 'bystanders', 'passers-by', 'passersby', 'residents', 'villagers', 'worshippers', 'students', 'pupils', 'shoppers', 'pilgrims', 'passengers', 'children', 'women', 'schoolchildren', 'farmers', 'non-combatants', 'patients', 'aid workers', 'journalists'] },
  { category: 'OFFICIALS', side: 'UNSPECIFIED', forms: ['officials', 'government officials', 'election officials'] },
  { category: 'PEOPLE', side: 'UNSPECIFIED', forms: ['people', 'persons', 'individuals', 'others', 'victims', 'men', 'casualties', 'lives', 'bodies', 'dead', 'deaths', 'fatalities', 'hostages', 'person', 'suspects', 'suspected collaborators', 'collaborators', 'families', 'households', 'apostates', 'infidels', 'crusaders', 'worshipers', 'mourners'] },
];

/** Nouns that name the parts of a breakdown ("five men, three women and three children"). */
export const BREAKDOWN_NOUNS: readonly string[] = ['men', 'women', 'children', 'boys', 'girls', 'minors', 'infants', 'elderly', 'soldiers', 'policemen', 'civilians', 'militants', 'foreigners', 'nationals', 'students', 'officers', 'workers'];

/** Words that open a breakdown of the figure before it. */
export const BREAKDOWN_CUES: readonly string[] = ['included', 'including', 'among them', 'among the dead were', 'among the dead', 'among those killed were', 'of them', 'of whom', 'comprising', 'were'];

/** Unnamed speakers: their head noun, whom they speak for. The longest form found in a speaker's words wins. */
export const UNNAMED_SPEAKERS: readonly { forms: readonly string[]; affiliation: ClaimantAffiliation; plural: boolean }[] = [
  { affiliation: 'STATE', plural: true, forms: ['prosecutors', "the prosecutor's office", "prosecutor's office", "the state prosecutor's office", "the attorney general's office", 'officials', 'security officials', 'police officials', 'government officials', 'military officials', 'army officials', 'authorities', 'security sources', 'intelligence officials', 'district officials', 'local officials', 'provincial officials', 'officers', 'police', 'the military', 'the army', 'security forces', 'the government', 'the ministry', 'the administration', 'officials at the ministry', 'the interior ministry', 'the defence ministry', 'the defense ministry', 'military sources', 'police sources'] },
  { affiliation: 'STATE', plural: false, forms: ['an official', 'a police official', 'a security official', 'a government official', 'a police officer', 'a military spokesman', 'a police spokesman', 'an army spokesman', 'a government spokesman', 'a spokesman for the ministry', 'a senior official', 'a senior police officer', 'an intelligence official', 'a district official', 'the spokesman', 'a spokesperson', 'a spokeswoman', 'the police chief', 'a commander'] },
  { affiliation: 'NON_STATE_ARMED_GROUP', plural: true, forms: ['militants', 'the militants', 'the group', 'the rebels', 'rebels', 'insurgents', 'the insurgents', 'the separatists', 'the outfit', 'the militant group', 'the armed group'] },
  { affiliation: 'NON_STATE_ARMED_GROUP', plural: false, forms: ['a militant commander', 'a rebel spokesman', 'a spokesman for the group', 'a group spokesman', 'a militant spokesman'] },
  { affiliation: 'INDEPENDENT', plural: true, forms: ['witnesses', 'residents', 'locals', 'villagers', 'doctors', 'medics', 'hospital officials', 'hospital staff', 'rescue officials', 'rescuers', 'rescue workers', 'aid workers', 'human rights groups', 'rights groups', 'activists', 'relatives', 'family members', 'tribal elders', 'elders', 'sources', 'medical sources', 'hospital sources', 'journalists'] },
  { affiliation: 'INDEPENDENT', plural: false, forms: ['a witness', 'a resident', 'a doctor', 'a hospital official', 'a rescue official', 'a medic', 'a relative', 'a local journalist', 'a tribal elder', 'an eyewitness', 'a source'] },
];

/** Nouns that name a person by role, for "he said" and for naming officials the gateway does not know. */
export const PERSON_ROLES: readonly string[] = [
  'minister', 'spokesman', 'spokeswoman', 'spokesperson', 'officer', 'official', 'commander', 'commissioner', 'governor',
  'chief', 'administrator', 'director', 'doctor', 'president', 'prime minister', 'general', 'superintendent', 'inspector',
  'secretary', 'mayor', 'head', 'leader', 'adviser', 'advisor', 'deputy', 'colonel', 'major', 'captain', 'lieutenant',
  'sheriff', 'surgeon', 'coordinator', 'representative', 'envoy', 'ambassador', 'senator', 'lawmaker', 'witness', 'resident',
];

/** Words in a speaker's name that say it is an organisation, and its kind. */
export const ORGANISATION_CUES: readonly { words: readonly string[]; kind: OrganisationKind }[] = [
  { kind: 'ARMED_GROUP', words: ['liberation army', 'front', 'movement', 'tehreek', 'tehrik', 'lashkar', 'jaish', 'brigade', 'brigades', 'militia', 'liberation', 'mujahideen', 'state', 'taliban', 'group', 'council', 'forces', 'jamaat'] },
  { kind: 'MILITARY', words: ['army', 'military', 'armed forces', 'inter-services', 'ispr', 'navy', 'air force'] },
  { kind: 'POLICE', words: ['police', 'constabulary', 'levies'] },
  { kind: 'SECURITY_FORCES', words: ['corps', 'rangers', 'guard', 'counterterrorism department', 'ctd'] },
  { kind: 'GOVERNMENT_BODY', words: ['ministry', 'department', 'office', 'directorate', 'authority', 'commission'] },
  { kind: 'GOVERNMENT', words: ['government'] },
  { kind: 'HOSPITAL', words: ['hospital', 'medical centre', 'medical center', 'clinic', 'infirmary'] },
  { kind: 'NGO', words: ['red cross', 'red crescent', 'amnesty', 'human rights watch', 'commission for human rights', 'foundation', 'ngo', 'united nations', 'unicef', 'unhcr', 'ocha'] },
  { kind: 'NEWS_AGENCY', words: ['reuters', 'associated press', 'agence france-presse', 'afp', 'ap', 'anadolu', 'xinhua', 'press trust', 'pti', 'app', 'ani', 'efe', 'dpa', 'news agency'] },
];

/** The outlet kinds a cited carrier can be: agencies and outlets report what others said. */
export const CARRIER_KINDS: ReadonlySet<OrganisationKind> = new Set(['NEWS_AGENCY', 'NEWS_OUTLET', 'NEWS_DESK']);

/** Whom an organisation of each kind speaks for. */
export const AFFILIATION_OF_KIND: Record<OrganisationKind, ClaimantAffiliation> = {
  ARMED_GROUP: 'NON_STATE_ARMED_GROUP',
  MILITARY: 'STATE',
  POLICE: 'STATE',
  SECURITY_FORCES: 'STATE',
  GOVERNMENT: 'STATE',
  GOVERNMENT_BODY: 'STATE',
  NEWS_AGENCY: 'INDEPENDENT',
  NEWS_OUTLET: 'INDEPENDENT',
  NEWS_DESK: 'INDEPENDENT',
  HOSPITAL: 'INDEPENDENT',
  NGO: 'INDEPENDENT',
  OTHER: 'UNKNOWN',
};

/** Words that say what a statement does; the strongest found wins (this order). */
export const STATEMENT_KIND_CUES: readonly { kind: StatementKind; phrases: readonly string[] }[] = [
  { kind: 'RESPONSIBILITY_CLAIM', phrases: ['claimed responsibility', 'claims responsibility', 'claiming responsibility', 'took responsibility', 'accepted responsibility', 'owned responsibility', 'claimed the attack', 'claimed the attacks', 'claimed the bombing', 'claimed credit'] },
  { kind: 'HOSTAGE_MESSAGE', phrases: ['in the custody of', 'held captive', 'being held by', 'in captivity', 'hostage video', 'appealed for his release', 'appealed for her release'] },
  { kind: 'DENIAL', phrases: ['denied', 'denies', 'rejected the claim', 'dismissed the claim', 'rejected claims', 'dismissed claims', 'denying'] },
  { kind: 'CONDEMNATION', phrases: ['condemned', 'condemns', 'denounced', 'deplored', 'condemning'] },
];

/** Verification: what the reporting says about whether a claim was checked, and its status. */
export const VERIFICATION_CUES: readonly { status: 'UNVERIFIED' | 'VERIFIED' | 'DISPUTED'; phrases: readonly string[] }[] = [
  { status: 'UNVERIFIED', phrases: ['could not independently verify', 'could not be independently verified', 'could not verify', 'could not be verified', 'could not independently confirm', 'could not be independently confirmed', 'could not confirm', 'could not immediately verify', 'could not immediately confirm', 'were not independently verified', 'was not independently verified', 'has not been independently verified', 'have not been independently verified', 'not be independently verified', 'unable to verify', 'unable to independently verify', 'unverified', 'no independent confirmation', 'impossible to verify', 'not possible to verify'] },
  { status: 'DISPUTED', phrases: ['was disputed', 'were disputed', 'is disputed', 'are disputed', 'has been disputed', 'have been disputed', 'was contested', 'were contested'] },
  { status: 'VERIFIED', phrases: ['independently verified', 'independently confirmed', 'verified the video', 'verified the footage', 'authenticated'] },
];

/** Words before an earlier figure that a newer one revises ("revising an earlier death toll of five"). */
export const REVISION_CUES: readonly string[] = ['earlier', 'previous', 'previously', 'initial', 'initially', 'original', 'originally', 'first', 'up from', 'down from', 'revising', 'revised from', 'instead of', 'rather than', 'not'];

/** Verbs that change a toll from one number to another ("raised the toll from 5 to 11"). */
export const REVISION_VERBS: readonly string[] = ['rose', 'risen', 'raised', 'raising', 'revised', 'revising', 'increased', 'climbed', 'jumped', 'updated', 'lowered', 'reduced', 'dropped', 'fell', 'corrected', 'correcting', 'went up', 'climbing', 'rising'];

/** How a statement reached the reporter, when the reporting says: the claimant's own source. */
export const SOURCE_CUES: readonly { kind: SourceKind; phrases: readonly string[]; label: string }[] = [
  { kind: 'SOCIAL_MEDIA_VIDEO', label: 'video', phrases: ['social media video', 'in a video', 'video posted', 'video message', 'video released', 'in a video message', 'footage released'] },
  { kind: 'SOCIAL_MEDIA_POST', label: 'social media post', phrases: ['on social media', 'on x', 'on twitter', 'on telegram', 'on facebook', 'in a post', 'in a tweet', 'on its telegram channel', 'on its website'] },
  { kind: 'PRESS_RELEASE', label: 'press release', phrases: ['press release', 'in a release', 'news release', 'press statement'] },
  { kind: 'OFFICIAL_STATEMENT', label: 'statement', phrases: ['in a statement', 'a statement said', 'said in a statement', 'statement issued', 'issued a statement', 'in a written statement', 'a statement from', 'in its statement'] },
];

/** Words about incidents: what kind of incident a clause describes. */
export const INCIDENT_CUES: readonly { kind: 'COORDINATED_ATTACK' | 'ARMED_ATTACK' | 'BOMBING' | 'EXPLOSION' | 'ABDUCTION' | 'BLOCKADE' | 'SECURITY_OPERATION' | 'CLASH'; words: readonly string[] }[] = [
  { kind: 'COORDINATED_ATTACK', words: ['coordinated attacks', 'coordinated attack', 'simultaneous attacks', 'orchestrated', 'multiple cities', 'series of attacks', 'wave of attacks'] },
  { kind: 'BOMBING', words: ['suicide bomber', 'suicide bombing', 'bombing', 'car bomb', 'roadside bomb', 'ied', 'improvised explosive', 'suicide attack', 'grenade'] },
  { kind: 'EXPLOSION', words: ['blast', 'explosion', 'exploded'] },
  { kind: 'ABDUCTION', words: ['abducted', 'kidnapped', 'abduction', 'kidnapping', 'hostage'] },
  { kind: 'BLOCKADE', words: ['blocked roads', 'blockade', 'blocked the highway', 'roadblock'] },
  { kind: 'SECURITY_OPERATION', words: ['raids', 'raid', 'operation', 'operations', 'offensive', 'crackdown', 'intelligence-based', 'clearance'] },
  { kind: 'CLASH', words: ['clash', 'clashes', 'gunfight', 'firefight', 'exchange of fire', 'fighting', 'battle', 'encounter'] },
  { kind: 'ARMED_ATTACK', words: ['attack', 'attacked', 'attacks', 'ambush', 'ambushed', 'stormed', 'opened fire', 'shooting', 'assault', 'strike', 'airstrike', 'drone strike', 'shelling'] },
];

/** Place words that say a place's kind ("Kech district", "the port city of Gwadar"). */
export const PLACE_KIND_CUES: readonly { kind: 'COUNTRY' | 'PROVINCE' | 'DISTRICT' | 'CITY' | 'AREA' | 'SITE'; words: readonly string[] }[] = [
  { kind: 'PROVINCE', words: ['province', 'state', 'region', 'governorate', 'oblast'] },
  { kind: 'DISTRICT', words: ['district', 'county', 'tehsil', 'division', 'agency'] },
  { kind: 'CITY', words: ['city', 'town', 'capital', 'port'] },
  { kind: 'AREA', words: ['village', 'area', 'neighbourhood', 'neighborhood', 'valley', 'suburb', 'outskirts'] },
];

/** Days of the week, for dating what the reporting dates only by day. */
export const WEEKDAYS: readonly string[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Pronouns that stand for a speaker named before, and which kind of speaker each can stand for. */
export const PRONOUNS: Record<string, 'person' | 'organisation' | 'plural'> = {
  he: 'person', she: 'person', it: 'organisation', they: 'plural', we: 'plural', i: 'person',
};

/** Words near counted people that say whose side they were on ("fighters from pro-government forces"). */
export const SIDE_MODIFIERS: readonly { words: readonly string[]; side: Side; category: VictimCategory }[] = [
  { words: ['pro-government', 'government', 'regime', 'government-aligned', 'loyalist'], side: 'STATE_FORCES', category: 'SECURITY_PERSONNEL' },
  { words: ['rebel', 'insurgent', 'militant', 'separatist', 'jihadist'], side: 'NON_STATE_ARMED_GROUP', category: 'MILITANTS' },
];

/** An armed group saying it (or its fighters) attacked: a claim of responsibility in other words. */
export const RESPONSIBILITY_PATTERN = /\b(?:(?:its|our|their)\s+(?:fighters|forces|men|members|militants|mujahideen|commanders|suicide bombers?|units?)|\bit|\bwe)\s+(?:had\s+|have\s+|has\s+)?(?:attacked|targeted|carried out|struck|launched|ambushed|stormed|conducted)\b|\b(?:its|our)\s+(?:fighters|forces|men|members|militants|mujahideen)\s+(?:had\s+|have\s+|has\s+)?killed\b[^.;]{0,80}\bin\s+(?:a|an|the|their|its)\s+[\w\s-]{0,30}\b(?:attack|strike|ambush|bombing|raid)\b/i;

/** A state force doing something to others ("troops killed", "security forces conducted an operation"): an operation report. */
export const OPERATION_AGENT = /\b(?:troops|forces|soldiers|army|military|police|policemen|commandos|personnel|units|it|they|we)\b((?:\s+(?!were\b|was\b|been\b|are\b|is\b)[\w'’-]+){0,4}?)\s+(?:had\s+|have\s+|also\s+)?(?:killed|arrested|rescued|conducted|recovered|neutrali[sz]ed|raided|eliminated|captured|apprehended|detained|destroyed|engaged|repulsed|repelled|struck|bombed|shelled|fired|launched an operation|carried out an operation)\b/i;

/** Words that say an operation or encounter took place (with only enemies counted: an operation report). */
export const OPERATION_WORDS: readonly string[] = ['operation', 'operations', 'raid', 'raids', 'encounter', 'gunfight', 'offensive', 'crackdown', 'exchange of fire', 'intelligence-based', 'intelligence based'];

/** Nouns that stand for an organisation named before ("the group", "the monitor"), and which kinds of organisation each can stand for. */
export const DEFINITE_STAND_INS: Record<string, readonly OrganisationKind[] | 'ANY'> = {
  group: ['ARMED_GROUP', 'OTHER'], outfit: ['ARMED_GROUP'], organisation: 'ANY', organization: 'ANY', monitor: ['NGO', 'OTHER'],
  observatory: ['NGO', 'OTHER'], watchdog: ['NGO', 'OTHER'], agency: ['NEWS_AGENCY', 'NGO', 'GOVERNMENT_BODY', 'OTHER'], hospital: ['HOSPITAL'],
  ministry: ['GOVERNMENT_BODY', 'GOVERNMENT'], mission: 'ANY', militants: ['ARMED_GROUP'], rebels: ['ARMED_GROUP'], movement: ['ARMED_GROUP', 'OTHER'],
};

/** Words of a title or rank before a person's name ("Police Capt. Mohamed Hussein"): not part of the name. */
export const TITLE_WORDS: ReadonlySet<string> = new Set(['capt.', 'capt', 'col.', 'lt.', 'gen.', 'maj.', 'sgt.', 'brig.', 'dr.', 'mr.', 'mrs.', 'ms.', 'general', 'police', 'army', 'ministry', 'government', 'state', 'district', 'provincial', 'federal', 'interior', 'defence', 'defense', 'health', 'information', 'senior', 'chief', 'deputy', 'acting', 'regional', 'military', 'taliban', "taliban's", 'of', 'the', 'for', 'and']);

/** Head nouns of bodies that speak ("the state prosecutor's office", "the district administration"): an unnamed group, when nothing else names it. */
export const BODY_NOUNS: readonly string[] = ['office', 'ministry', 'department', 'agency', 'mission', 'commission', 'council', 'directorate', 'authority', 'administration', 'command', 'headquarters', 'secretariat', 'bureau', 'service', 'spokesperson'];

/** Words of the state in a body's name: it speaks for the state. */
export const STATE_WORDS: readonly string[] = ['prosecutor', 'ministry', 'government', 'police', 'army', 'military', 'district', 'provincial', 'state', 'federal', 'administration', 'interior', 'defence', 'defense', 'command', 'official'];

/** Documents that stand for their issuer ("the statement said", "the release said"), and the kind of source each is. */
export const DOCUMENT_NOUNS: Record<string, SourceKind> = { statement: 'OFFICIAL_STATEMENT', release: 'PRESS_RELEASE', 'press release': 'PRESS_RELEASE', video: 'SOCIAL_MEDIA_VIDEO', post: 'SOCIAL_MEDIA_POST', communique: 'OFFICIAL_STATEMENT', communiqué: 'OFFICIAL_STATEMENT', tweet: 'SOCIAL_MEDIA_POST' };
