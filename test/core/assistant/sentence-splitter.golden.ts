/**
 * Published sentence-segmentation cases, transcribed as test data.
 *
 * English: the Pragmatic Segmenter's "Golden Rules (English)", all 52, in order, from the README of
 * github.com/diasks2/pragmatic_segmenter (commit 358fe97e62902cd86fa6b85063c3bf91aa6c156a, section
 * "The Golden Rules"). pySBD (github.com/nipunsadvilkar/pySBD, commit 5905f13b,
 * benchmarks/english_golden_rules.py) benchmarks on the same rules less the four that need its
 * text cleaning (40, 41, 42, 52 here). Rule 40 is marked "(PDF)": the Pragmatic Segmenter passes
 * it only with doc_type 'pdf' (spec/pragmatic_segmenter/languages/english_spec.rb).
 *
 * Chinese: spec/pragmatic_segmenter/languages/chinese_spec.rb (the same two cases are pySBD's
 * tests/lang/test_chinese.py).
 *
 * Japanese: the README's "Golden Rules (Japanese)" and spec/pragmatic_segmenter/languages/
 * japanese_spec.rb ("correctly segments text #001", "#003", "#004"); rule 5 ("これは父の\n家です。")
 * needs the Japanese text cleaner (a line break after の) and is left out, as pySBD runs it only with
 * clean=True (tests/lang/test_japanese.py).
 *
 * An expected sentence may differ from the text in white space only (rule 41 joins a broken line):
 * the test compares sentences with white space runs made one space, as speech does.
 */

export interface GoldenCase {
  /** The rule's number in its source. */
  rule: number
  name: string
  text: string
  sentences: string[]
}

export const GOLDEN_EN: GoldenCase[] = [
  {
    rule: 1,
    name: 'Simple period to end sentence',
    text: 'Hello World. My name is Jonas.',
    sentences: ['Hello World.', 'My name is Jonas.']
  },
  {
    rule: 2,
    name: 'Question mark to end sentence',
    text: 'What is your name? My name is Jonas.',
    sentences: ['What is your name?', 'My name is Jonas.']
  },
  {
    rule: 3,
    name: 'Exclamation point to end sentence',
    text: 'There it is! I found it.',
    sentences: ['There it is!', 'I found it.']
  },
  {
    rule: 4,
    name: 'One letter upper case abbreviations',
    text: 'My name is Jonas E. Smith.',
    sentences: ['My name is Jonas E. Smith.']
  },
  {
    rule: 5,
    name: 'One letter lower case abbreviations',
    text: 'Please turn to p. 55.',
    sentences: ['Please turn to p. 55.']
  },
  {
    rule: 6,
    name: 'Two letter lower case abbreviations in the middle of a sentence',
    text: 'Were Jane and co. at the party?',
    sentences: ['Were Jane and co. at the party?']
  },
  {
    rule: 7,
    name: 'Two letter upper case abbreviations in the middle of a sentence',
    text: 'They closed the deal with Pitt, Briggs & Co. at noon.',
    sentences: ['They closed the deal with Pitt, Briggs & Co. at noon.']
  },
  {
    rule: 8,
    name: 'Two letter lower case abbreviations at the end of a sentence',
    text: 'Let\'s ask Jane and co. They should know.',
    sentences: ['Let\'s ask Jane and co.', 'They should know.']
  },
  {
    rule: 9,
    name: 'Two letter upper case abbreviations at the end of a sentence',
    text: 'They closed the deal with Pitt, Briggs & Co. It closed yesterday.',
    sentences: ['They closed the deal with Pitt, Briggs & Co.', 'It closed yesterday.']
  },
  {
    rule: 10,
    name: 'Two letter (prepositive) abbreviations',
    text: 'I can see Mt. Fuji from here.',
    sentences: ['I can see Mt. Fuji from here.']
  },
  {
    rule: 11,
    name: 'Two letter (prepositive & postpositive) abbreviations',
    text: 'St. Michael\'s Church is on 5th st. near the light.',
    sentences: ['St. Michael\'s Church is on 5th st. near the light.']
  },
  {
    rule: 12,
    name: 'Possesive two letter abbreviations',
    text: 'That is JFK Jr.\'s book.',
    sentences: ['That is JFK Jr.\'s book.']
  },
  {
    rule: 13,
    name: 'Multi-period abbreviations in the middle of a sentence',
    text: 'I visited the U.S.A. last year.',
    sentences: ['I visited the U.S.A. last year.']
  },
  {
    rule: 14,
    name: 'Multi-period abbreviations at the end of a sentence',
    text: 'I live in the E.U. How about you?',
    sentences: ['I live in the E.U.', 'How about you?']
  },
  {
    rule: 15,
    name: 'U.S. as sentence boundary',
    text: 'I live in the U.S. How about you?',
    sentences: ['I live in the U.S.', 'How about you?']
  },
  {
    rule: 16,
    name: 'U.S. as non sentence boundary with next word capitalized',
    text: 'I work for the U.S. Government in Virginia.',
    sentences: ['I work for the U.S. Government in Virginia.']
  },
  {
    rule: 17,
    name: 'U.S. as non sentence boundary',
    text: 'I have lived in the U.S. for 20 years.',
    sentences: ['I have lived in the U.S. for 20 years.']
  },
  {
    rule: 18,
    name: 'A.M. / P.M. as non sentence boundary and sentence boundary',
    text: 'At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store.',
    sentences: ['At 5 a.m. Mr. Smith went to the bank.', 'He left the bank at 6 P.M.', 'Mr. Smith then went to the store.']
  },
  {
    rule: 19,
    name: 'Number as non sentence boundary',
    text: 'She has $100.00 in her bag.',
    sentences: ['She has $100.00 in her bag.']
  },
  {
    rule: 20,
    name: 'Number as sentence boundary',
    text: 'She has $100.00. It is in her bag.',
    sentences: ['She has $100.00.', 'It is in her bag.']
  },
  {
    rule: 21,
    name: 'Parenthetical inside sentence',
    text: 'He teaches science (He previously worked for 5 years as an engineer.) at the local University.',
    sentences: ['He teaches science (He previously worked for 5 years as an engineer.) at the local University.']
  },
  {
    rule: 22,
    name: 'Email addresses',
    text: 'Her email is Jane.Doe@example.com. I sent her an email.',
    sentences: ['Her email is Jane.Doe@example.com.', 'I sent her an email.']
  },
  {
    rule: 23,
    name: 'Web addresses',
    text: 'The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.',
    sentences: ['The site is: https://www.example.50.com/new-site/awesome_content.html.', 'Please check it out.']
  },
  {
    rule: 24,
    name: 'Single quotations inside sentence',
    text: 'She turned to him, \'This is great.\' she said.',
    sentences: ['She turned to him, \'This is great.\' she said.']
  },
  {
    rule: 25,
    name: 'Double quotations inside sentence',
    text: 'She turned to him, "This is great." she said.',
    sentences: ['She turned to him, "This is great." she said.']
  },
  {
    rule: 26,
    name: 'Double quotations at the end of a sentence',
    text: 'She turned to him, "This is great." She held the book out to show him.',
    sentences: ['She turned to him, "This is great."', 'She held the book out to show him.']
  },
  {
    rule: 27,
    name: 'Double punctuation (exclamation point)',
    text: 'Hello!! Long time no see.',
    sentences: ['Hello!!', 'Long time no see.']
  },
  {
    rule: 28,
    name: 'Double punctuation (question mark)',
    text: 'Hello?? Who is there?',
    sentences: ['Hello??', 'Who is there?']
  },
  {
    rule: 29,
    name: 'Double punctuation (exclamation point / question mark)',
    text: 'Hello!? Is that you?',
    sentences: ['Hello!?', 'Is that you?']
  },
  {
    rule: 30,
    name: 'Double punctuation (question mark / exclamation point)',
    text: 'Hello?! Is that you?',
    sentences: ['Hello?!', 'Is that you?']
  },
  {
    rule: 31,
    name: 'List (period followed by parens and no period to end item)',
    text: '1.) The first item 2.) The second item',
    sentences: ['1.) The first item', '2.) The second item']
  },
  {
    rule: 32,
    name: 'List (period followed by parens and period to end item)',
    text: '1.) The first item. 2.) The second item.',
    sentences: ['1.) The first item.', '2.) The second item.']
  },
  {
    rule: 33,
    name: 'List (parens and no period to end item)',
    text: '1) The first item 2) The second item',
    sentences: ['1) The first item', '2) The second item']
  },
  {
    rule: 34,
    name: 'List (parens and period to end item)',
    text: '1) The first item. 2) The second item.',
    sentences: ['1) The first item.', '2) The second item.']
  },
  {
    rule: 35,
    name: 'List (period to mark list and no period to end item)',
    text: '1. The first item 2. The second item',
    sentences: ['1. The first item', '2. The second item']
  },
  {
    rule: 36,
    name: 'List (period to mark list and period to end item)',
    text: '1. The first item. 2. The second item.',
    sentences: ['1. The first item.', '2. The second item.']
  },
  {
    rule: 37,
    name: 'List with bullet',
    text: '• 9. The first item • 10. The second item',
    sentences: ['• 9. The first item', '• 10. The second item']
  },
  {
    rule: 38,
    name: 'List with hypthen',
    text: '⁃9. The first item ⁃10. The second item',
    sentences: ['⁃9. The first item', '⁃10. The second item']
  },
  {
    rule: 39,
    name: 'Alphabetical list',
    text: 'a. The first item b. The second item c. The third list item',
    sentences: ['a. The first item', 'b. The second item', 'c. The third list item']
  },
  {
    rule: 40,
    name: 'Errant newline in the middle of a sentence (PDF)',
    text: 'This is a sentence\ncut off in the middle because pdf.',
    sentences: ['This is a sentence\ncut off in the middle because pdf.']
  },
  {
    rule: 41,
    name: 'Errant newline in the middle of a sentence',
    text: 'It was a cold \nnight in the city.',
    sentences: ['It was a cold night in the city.']
  },
  {
    rule: 42,
    name: 'Lower case list separated by newline',
    text: 'features\ncontact manager\nevents, activities\n',
    sentences: ['features', 'contact manager', 'events, activities']
  },
  {
    rule: 43,
    name: 'Geo Coordinates',
    text: 'You can find it at N°. 1026.253.553. That is where the treasure is.',
    sentences: ['You can find it at N°. 1026.253.553.', 'That is where the treasure is.']
  },
  {
    rule: 44,
    name: 'Named entities with an exclamation point',
    text: 'She works at Yahoo! in the accounting department.',
    sentences: ['She works at Yahoo! in the accounting department.']
  },
  {
    rule: 45,
    name: 'I as a sentence boundary and I as an abbreviation',
    text: 'We make a good team, you and I. Did you see Albert I. Jones yesterday?',
    sentences: ['We make a good team, you and I.', 'Did you see Albert I. Jones yesterday?']
  },
  {
    rule: 46,
    name: 'Ellipsis at end of quotation',
    text: 'Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”',
    sentences: ['Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”']
  },
  {
    rule: 47,
    name: 'Ellipsis with square brackets',
    text: '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
    sentences: ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).']
  },
  {
    rule: 48,
    name: 'Ellipsis as sentence boundary (standard ellipsis rules)',
    text: 'If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . . Next sentence.',
    sentences: ['If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . .', 'Next sentence.']
  },
  {
    rule: 49,
    name: 'Ellipsis as sentence boundary (non-standard ellipsis rules)',
    text: 'I never meant that.... She left the store.',
    sentences: ['I never meant that....', 'She left the store.']
  },
  {
    rule: 50,
    name: 'Ellipsis as non sentence boundary',
    text: 'I wasn’t really ... well, what I mean...see . . . what I\'m saying, the thing is . . . I didn’t mean it.',
    sentences: ['I wasn’t really ... well, what I mean...see . . . what I\'m saying, the thing is . . . I didn’t mean it.']
  },
  {
    rule: 51,
    name: '4-dot ellipsis',
    text: 'One further habit which was somewhat weakened . . . was that of combining words into self-interpreting compounds. . . . The practice was not abandoned. . . .',
    sentences: ['One further habit which was somewhat weakened . . . was that of combining words into self-interpreting compounds.', '. . . The practice was not abandoned. . . .']
  },
  {
    rule: 52,
    name: 'No whitespace in between sentences',
    text: 'Hello world.Today is Tuesday.Mr. Smith went to the store and bought 1,000.That is a lot.',
    sentences: ['Hello world.', 'Today is Tuesday.', 'Mr. Smith went to the store and bought 1,000.', 'That is a lot.']
  }
]

/**
 * All the English rules in one text (spec/pragmatic_segmenter/languages/english_spec.rb, "correctly
 * segments text #074"): lists restart, rules meet. Scored by boundary precision and recall.
 */
export const GOLDEN_EN_ALL_IN_ONE: GoldenCase = {
  rule: 74,
  name: 'correctly segments text #074',
  text:
    'Hello World. My name is Jonas. What is your name? My name is Jonas. There it is! I found it. My name is Jonas E. Smith. Please turn to p. 55. Were Jane and co. at the party? They closed the deal with Pitt, Briggs & Co. at noon. Let\'s ask Jane and co. They should know. They closed the deal with Pitt, Briggs & Co. It closed yesterday. I can see Mt. Fuji from here. St. Michael\'s Church is on 5th st. near the light. That is JFK Jr.\'s book. I visited the U.S.A. last year. I live in the E.U. How about you? I live in the U.S. How about you? I work for the U.S. Government in Virginia. I have lived in the U.S. for 20 years. She has $100.00 in her bag. She has $100.00. It is in her bag. He teaches science (He previously worked for 5 years as an engineer.) at the local University. Her email is Jane.Doe@example.com. I sent her an email. The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out. She turned to him, \'This is great.\' she said. She turned to him, "This is great." she said. She turned to him, "This is great." She held the book out to show him. Hello!! Long time no see. Hello?? Who is there? Hello!? Is that you? Hello?! Is that you? 1.) The first item 2.) The second item 1.) The first item. 2.) The second item. 1) The first item 2) The second item 1) The first item. 2) The second item. 1. The first item 2. The second item 1. The first item. 2. The second item. • 9. The first item • 10. The second item ⁃9. The first item ⁃10. The second item a. The first item b. The second item c. The third list item \rIt was a cold \nnight in the city. features\ncontact manager\nevents, activities\n You can find it at N°. 1026.253.553. That is where the treasure is. She works at Yahoo! in the accounting department. We make a good team, you and I. Did you see Albert I. Jones yesterday? Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”. "Bohr [...] used the analogy of parallel stairways [...]" (Smith 55). If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . . Next sentence. I never meant that.... She left the store. I wasn’t really ... well, what I mean...see . . . what I\'m saying, the thing is . . . I didn’t mean it. One further habit which was somewhat weakened . . . was that of combining words into self-interpreting compounds. . . . The practice was not abandoned. . . .',
  sentences: [
    'Hello World.',
    'My name is Jonas.',
    'What is your name?',
    'My name is Jonas.',
    'There it is!',
    'I found it.',
    'My name is Jonas E. Smith.',
    'Please turn to p. 55.',
    'Were Jane and co. at the party?',
    'They closed the deal with Pitt, Briggs & Co. at noon.',
    'Let\'s ask Jane and co.',
    'They should know.',
    'They closed the deal with Pitt, Briggs & Co.',
    'It closed yesterday.',
    'I can see Mt. Fuji from here.',
    'St. Michael\'s Church is on 5th st. near the light.',
    'That is JFK Jr.\'s book.',
    'I visited the U.S.A. last year.',
    'I live in the E.U.',
    'How about you?',
    'I live in the U.S.',
    'How about you?',
    'I work for the U.S. Government in Virginia.',
    'I have lived in the U.S. for 20 years.',
    'She has $100.00 in her bag.',
    'She has $100.00.',
    'It is in her bag.',
    'He teaches science (He previously worked for 5 years as an engineer.) at the local University.',
    'Her email is Jane.Doe@example.com.',
    'I sent her an email.',
    'The site is: https://www.example.50.com/new-site/awesome_content.html.',
    'Please check it out.',
    'She turned to him, \'This is great.\' she said.',
    'She turned to him, "This is great." she said.',
    'She turned to him, "This is great."',
    'She held the book out to show him.',
    'Hello!!',
    'Long time no see.',
    'Hello??',
    'Who is there?',
    'Hello!?',
    'Is that you?',
    'Hello?!',
    'Is that you?',
    '1.) The first item',
    '2.) The second item',
    '1.) The first item.',
    '2.) The second item.',
    '1) The first item',
    '2) The second item',
    '1) The first item.',
    '2) The second item.',
    '1. The first item',
    '2. The second item',
    '1. The first item.',
    '2. The second item.',
    '• 9. The first item',
    '• 10. The second item',
    '⁃9. The first item',
    '⁃10. The second item',
    'a. The first item',
    'b. The second item',
    'c. The third list item',
    'It was a cold night in the city.',
    'features',
    'contact manager',
    'events, activities',
    'You can find it at N°. 1026.253.553.',
    'That is where the treasure is.',
    'She works at Yahoo! in the accounting department.',
    'We make a good team, you and I.',
    'Did you see Albert I. Jones yesterday?',
    'Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”.',
    '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
    'If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . .',
    'Next sentence.',
    'I never meant that....',
    'She left the store.',
    'I wasn’t really ... well, what I mean...see . . . what I\'m saying, the thing is . . . I didn’t mean it.',
    'One further habit which was somewhat weakened . . . was that of combining words into self-interpreting compounds.',
    '. . . The practice was not abandoned. . . .'
  ]
}

/** spec/pragmatic_segmenter/languages/chinese_spec.rb, "correctly segments text #001" and "#002". */
export const GOLDEN_ZH: GoldenCase[] = [
  {
    rule: 1,
    name: 'correctly segments text #001',
    text: '安永已聯繫周怡安親屬，協助辦理簽證相關事宜，周怡安家屬1月1日晚間搭乘東方航空班機抵達上海，他們步入入境大廳時神情落寞、不發一語。周怡安來自台中，去年剛從元智大學畢業，同年9月加入安永。',
    sentences: ['安永已聯繫周怡安親屬，協助辦理簽證相關事宜，周怡安家屬1月1日晚間搭乘東方航空班機抵達上海，他們步入入境大廳時神情落寞、不發一語。', '周怡安來自台中，去年剛從元智大學畢業，同年9月加入安永。']
  },
  {
    rule: 2,
    name: 'correctly segments text #002',
    text: '我们明天一起去看《摔跤吧！爸爸》好吗？好！',
    sentences: ['我们明天一起去看《摔跤吧！爸爸》好吗？', '好！']
  }
]

/**
 * spec/pragmatic_segmenter/languages/japanese_spec.rb: the Golden Rules 1-4 (rule 5 needs the
 * Japanese cleaner), and "correctly segments text #001", "#003", "#004" (numbered 101, 103, 104 here).
 */
export const GOLDEN_JA: GoldenCase[] = [
  {
    rule: 1,
    name: 'Simple period to end sentence #001',
    text: 'これはペンです。それはマーカーです。',
    sentences: [
      'これはペンです。',
      'それはマーカーです。'
    ]
  },
  {
    rule: 2,
    name: 'Question mark to end sentence #002',
    text: 'それは何ですか？ペンですか？',
    sentences: [
      'それは何ですか？',
      'ペンですか？'
    ]
  },
  {
    rule: 3,
    name: 'Exclamation point to end sentence #003',
    text: '良かったね！すごい！',
    sentences: [
      '良かったね！',
      'すごい！'
    ]
  },
  {
    rule: 4,
    name: 'Quotation #004',
    text: '自民党税制調査会の幹部は、「引き下げ幅は３．２９％以上を目指すことになる」と指摘していて、今後、公明党と合意したうえで、３０日に決定する与党税制改正大綱に盛り込むことにしています。２％台後半を目指すとする方向で最終調整に入りました。',
    sentences: [
      '自民党税制調査会の幹部は、「引き下げ幅は３．２９％以上を目指すことになる」と指摘していて、今後、公明党と合意したうえで、３０日に決定する与党税制改正大綱に盛り込むことにしています。',
      '２％台後半を目指すとする方向で最終調整に入りました。'
    ]
  },
  {
    rule: 101,
    name: 'correctly segments text #001',
    text: 'これは山です \nこれは山です \nこれは山です（「これは山です」） \nこれは山です（これは山です「これは山です」）これは山です・これは山です、これは山です。 \nこれは山です（これは山です。これは山です）。これは山です、これは山です、これは山です、これは山です（これは山です。これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です。 \n1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です。 \n※1　これは山です。 \n2.）これは山です、これは山です、これは山です、これは山です。 \n3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です。 \n4.）これは山です、これは山です（これは山です、これは山です、これは山です。これは山です）これは山です、これは山です（これは山です、これは山です）。 \nこれは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です。 \n(1) 「これは山です」（これは山です：0円）　（※1） \n① これは山です',
    sentences: [
      'これは山です',
      'これは山です',
      'これは山です（「これは山です」）',
      'これは山です（これは山です「これは山です」）これは山です・これは山です、これは山です。',
      'これは山です（これは山です。これは山です）。',
      'これは山です、これは山です、これは山です、これは山です（これは山です。これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です。',
      '1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です。',
      '※1　これは山です。',
      '2.）これは山です、これは山です、これは山です、これは山です。',
      '3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です。',
      '4.）これは山です、これは山です（これは山です、これは山です、これは山です。これは山です）これは山です、これは山です（これは山です、これは山です）。',
      'これは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です。',
      '(1) 「これは山です」（これは山です：0円）　（※1）',
      '① これは山です'
    ]
  },
  {
    rule: 103,
    name: 'correctly segments text #003',
    text: 'これは山です \nこれは山です \nこれは山です（「これは山です」） \nこれは山です（これは山です「これは山です」）これは山です・これは山です、これは山です． \nこれは山です（これは山です．これは山です）．これは山です、これは山です、これは山です、これは山です（これは山です．これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です． \n1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です． \n※1　これは山です． \n2.）これは山です、これは山です、これは山です、これは山です． \n3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です． \n4.）これは山です、これは山です（これは山です、これは山です、これは山です．これは山です）これは山です、これは山です（これは山です、これは山です）． \nこれは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です． \n(1) 「これは山です」（これは山です：0円）　（※1） \n① これは山です',
    sentences: [
      'これは山です',
      'これは山です',
      'これは山です（「これは山です」）',
      'これは山です（これは山です「これは山です」）これは山です・これは山です、これは山です．',
      'これは山です（これは山です．これは山です）．',
      'これは山です、これは山です、これは山です、これは山です（これは山です．これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です．',
      '1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です．',
      '※1　これは山です．',
      '2.）これは山です、これは山です、これは山です、これは山です．',
      '3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です．',
      '4.）これは山です、これは山です（これは山です、これは山です、これは山です．これは山です）これは山です、これは山です（これは山です、これは山です）．',
      'これは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です．',
      '(1) 「これは山です」（これは山です：0円）　（※1）',
      '① これは山です'
    ]
  },
  {
    rule: 104,
    name: 'correctly segments text #004',
    text: 'これは山です \nこれは山です \nこれは山です（「これは山です」） \nこれは山です（これは山です「これは山です」）これは山です・これは山です、これは山です！ \nこれは山です（これは山です！これは山です）！これは山です、これは山です、これは山です、これは山です（これは山です！これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です！ \n1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です！ \n※1　これは山です！ \n2.）これは山です、これは山です、これは山です、これは山です！ \n3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です！ \n4.）これは山です、これは山です（これは山です、これは山です、これは山です！これは山です）これは山です、これは山です（これは山です、これは山です）！ \nこれは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です！ \n(1) 「これは山です」（これは山です：0円）　（※1） \n① これは山です',
    sentences: [
      'これは山です',
      'これは山です',
      'これは山です（「これは山です」）',
      'これは山です（これは山です「これは山です」）これは山です・これは山です、これは山です！',
      'これは山です（これは山です！これは山です）！',
      'これは山です、これは山です、これは山です、これは山です（これは山です！これは山です）これは山です、これは山です、これは山です「これは山です」これは山です（これは山です：0円）これは山です！',
      '1.）これは山です、これは山です（これは山です、これは山です6円（※1））これは山です！',
      '※1　これは山です！',
      '2.）これは山です、これは山です、これは山です、これは山です！',
      '3.）これは山です、これは山です・これは山です、これは山です、これは山です、これは山です（これは山です「これは山です」）これは山です、これは山です、これは山です、これは山です！',
      '4.）これは山です、これは山です（これは山です、これは山です、これは山です！これは山です）これは山です、これは山です（これは山です、これは山です）！',
      'これは山です、これは山です、これは山です、これは山です、これは山です（者）これは山です！',
      '(1) 「これは山です」（これは山です：0円）　（※1）',
      '① これは山です'
    ]
  }
]
