/**
 * The words the sentence splitter needs to tell a full stop from an abbreviation's period.
 *
 * The lists follow the Pragmatic Segmenter's English rules (abbreviations, prepositive titles,
 * abbreviations that stand before a number, and "sentence starters"), trimmed of ordinary words
 * that would hide real sentence ends ("ill", "mass", "may", "sat"), and extended with the forms an
 * assistant's answer uses (units, days, "incl.", "approx."). All keys are lower case, without the
 * final period; multi-period forms keep their inner periods ("e.g", "u.s").
 */

/** Never the end of a sentence: titles that a name follows, and "e.g." forms that a clause follows. */
export const ABBREVIATIONS_NEVER = new Set([
  'mr', 'mrs', 'ms', 'mx', 'messrs', 'mmes', 'mme', 'mlle', 'dr', 'drs', 'prof', 'profs', 'st', 'mt', 'ste',
  'gen', 'gov', 'sen', 'sens', 'rep', 'reps', 'rev', 'hon', 'pres', 'supt', 'capt', 'col', 'lt', 'sgt', 'cpl',
  'maj', 'adm', 'cmdr', 'brig', 'det', 'insp', 'pvt', 'fr', 'rt', 'atty', 'attys',
  'e.g', 'i.e', 'eg', 'ie', 'cf', 'vs', 'v', 'viz', 'approx', 'a.k.a', 'aka', 'incl', 'excl', 'resp', 'w.r.t'
])

/** Stand before a number ("p. 55", "No. 5", "Fig. 3"): a digit after them never starts a sentence. */
export const ABBREVIATIONS_BEFORE_NUMBER = new Set([
  'p', 'pp', 'no', 'nos', 'nr', 'n°', 'nº', 'vol', 'vols', 'ch', 'chap', 'fig', 'figs', 'eq', 'eqs', 'sec', 'secs',
  'para', 'paras', 'pg', 'pgs', 'op', 'tel', 'ext', 'ca', 'c', 'art', 'pt', 'pts', 'ref', 'refs', 'ver', 'ed',
  'ss', 'l', 'll', 'r', 'tab'
])

/**
 * Abbreviations that also end sentences ("... and Co. It closed yesterday."): after one, a capital
 * starts a sentence only when the word is a likely sentence starter (see SENTENCE_STARTERS).
 */
export const ABBREVIATIONS_AMBIGUOUS = new Set([
  'etc', 'co', 'corp', 'inc', 'ltd', 'llc', 'plc', 'jr', 'sr', 'esq', 'bros', 'dept', 'depts', 'univ', 'assn',
  'ave', 'blvd', 'rd', 'hwy', 'fwy', 'ft', 'mtn', 'est', 'min', 'mins', 'max', 'hr', 'hrs', 'sec', 'secs', 'sq',
  'misc', 'govt', 'intl', 'natl', 'eds', 'trans', 'al', 'ibid', 'avg', 'std', 'mfg', 'wt', 'oz', 'lb', 'lbs',
  'qt', 'gal', 'yr', 'yrs', 'mo', 'mos', 'wk', 'wks', 'tbsp', 'tsp', 'pkg', 'dist', 'div', 'hosp',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'tue', 'tues', 'thu', 'thur', 'thurs', 'fri',
  'ala', 'ariz', 'ark', 'calif', 'colo', 'conn', 'fla', 'kan', 'kans', 'ky', 'mich', 'minn', 'mont', 'neb',
  'nebr', 'nev', 'okla', 'penn', 'penna', 'tenn', 'tex', 'wis', 'wisc', 'wyo',
  'no', 'nos', 'vol', 'vols', 'fig', 'figs', 'ch', 'pt', 'pts', 'ver', 'ed', 'ref'
])

/** Titles: after "6 P.M." a title may well start the next sentence ("... at 6 P.M. Mr. Smith then ..."). */
export const TITLES = new Set(['Mr', 'Mrs', 'Ms', 'Mx', 'Dr', 'Prof'])

/**
 * Words that often start a sentence and seldom follow an abbreviation inside one: pronouns,
 * determiners, conjunctions, question words, sentence adverbs and auxiliaries. After "U.S.", "Co."
 * or an initial, only these count as the start of a new sentence ("I live in the U.S. How about
 * you?" against "I work for the U.S. Government in Virginia.").
 */
export const SENTENCE_STARTERS = new Set(
  (
    'A An The This That These Those It Its I We You He She They There Here Our My Your His Her Their One ' +
    'What When Where Who Whom Whose Why How Which Whatever Whenever Wherever However Whoever ' +
    'And But Or So Yet Nor Then Now Also Still Even Just Only Thus Hence Therefore Meanwhile Otherwise ' +
    'Besides Moreover Furthermore Instead Indeed Finally First Second Third Next Last Later Afterwards ' +
    'Today Tomorrow Yesterday Tonight If In On At For From With By As After Before Since Because While ' +
    'Although Though Once Unless Until During Despite Unlike Like Of To Into Over Under About Around ' +
    'Some Many Most All Each Every Both Either Neither No Not None Nothing Nobody Everyone Everything ' +
    'Someone Something Anyone Anything Another Other Such Several Few Much More Less Millions ' +
    'Let Please Note Remember Make Try Use Being Is Are Was Were Be Been Do Does Did Done Have Has Had ' +
    'Can Could Will Would Shall Should May Might Must Yes Yeah Well Oh Ah Sure Okay OK Thanks Thank ' +
    'Sometimes Often Usually Always Never Perhaps Maybe Probably Actually Basically Overall Unfortunately ' +
    'Fortunately Luckily Clearly Obviously Honestly Generally Typically Anyway Again Good Great'
  ).split(/\s+/)
)

/** Words that begin with an apostrophe ("'em", "'90s"): not an opening quote. */
export const LEADING_APOSTROPHE_WORDS = /^'(?:em|til|tis|twas|cause|bout|round|cuz|n'|n\b|s\b|\d\ds?\b)/i

/** Names written with "!" ("Yahoo! Mail", "Jeopardy! host"): the "!" ends no sentence before a name. */
export const EXCLAMATION_NAMES = new Set(['yahoo', 'jeopardy', 'yum', 'wham', 'oklahoma'])
