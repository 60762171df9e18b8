"""Word lists the extraction rules use: general English news vocabulary, nothing per article."""

from __future__ import annotations

import re
from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Finite reporting verbs (past and present forms). "called", "described", "dubbed" take a quoted
# object ("called the sentence “dangerous”"); "reads" is what documents do.
SPEECH_VERBS = _words(
    """said says say stated states told tells added adds explained explains noted notes wrote
    writes commented comments continued concluded concludes observed observes argued argues
    insisted insists claimed claims charged charges warned warns blamed blames boasted boasts
    confirmed confirms vowed vows appealed appeals announced announces asserted asserts declared
    declares denied denies replied replies responded tweeted tweets posted reported reports
    recalled recalls acknowledged acknowledges admitted admits suggested suggests stressed stresses
    emphasized emphasised emphasizes emphasises lauded lauds praised praises called describes
    described dubbed characterized characterised urged urges asked asks accused accuses demanded
    proclaimed proclaims pledged pledges predicted predicts cautioned alleged alleges maintained
    maintains reiterated affirmed reasoned believes believed requested reads read quipped
    complained promised promises estimated revealed countered retorted added sighed joked jokes
    interjected opined exhorted pressed remarked remarks conceded concedes mused wondered wonders
    exclaimed shouted yelled scoffed snapped griped lamented laments bragged brags mocked echoed
    echoes recounted recounts testified answered answers texted emailed fumed contended contends
    clarified cautions questioned repeated repeats sniped calls elaborated elaborates
    speculated speculates hypothesized theorized surmised worried decried decries denounced
    denounces condemned condemns responds retorts quips sighs interjects opines muses exclaims
    shouts scoffs gripes testifies fumes clarifies reasons affirms reiterates exhorts"""
)
# Participles that report speech of the clause's subject ("…, saying that …").
SPEECH_PARTICIPLES = _words(
    """saying stating adding noting writing claiming charging warning arguing insisting
    explaining telling describing calling asserting declaring denying promising vowing urging
    accusing reporting recommending blaming boasting confirming announcing lauding praising
    commenting asking quoting suggesting stressing emphasizing emphasising alleging proclaiming
    pledging predicting cautioning dismissing rejecting refuting disputing tweeting joking
    quipping remarking replying responding complaining recalling acknowledging admitting
    conceding"""
)
# Verbs that take a content clause, so what follows is reported speech (indirect claims).
CLAUSE_VERBS = _words(
    """said says say stated states told tells added adds explained explains noted notes wrote
    writes argued argues insisted insists claimed claims charged warned warns confirmed confirms
    announced announces asserted asserts declared declares reported reports acknowledged admitted
    admits alleged alleges maintained maintains believes concluded concludes suggested suggests
    stressed emphasized emphasised revealed estimated predicted promised vowed reiterated
    observed pledged pledges vows promises complained conceded concedes lamented laments
    elaborated elaborates speculated speculates hypothesized theorized surmised worried"""
)
# Verbs whose object is a noun phrase: the claim is the verb phrase ("denied responsibility").
OBJECT_VERBS = _words("blamed denied boasted appealed accused praised lauded urged demanded")
# "told the Journal", "told reporters": verbs with a recipient before the content.
RECIPIENT_VERBS = _words("told tells tell warned urged asked")
# Verbs of denial: what follows ("denied that …", "rejected claims that …", "denied any
# involvement") is what the speaker denies, a claim with the stance ``denies``.
DENIAL_VERBS = _words(
    """deny denies denied denying reject rejects rejected rejecting dismiss dismisses dismissed
    dismissing refute refutes refuted refuting dispute disputes disputed disputing"""
)
# Verbs of asking: "asked whether …", "wondered if …" question what follows (stance questions).
# ("questions" is left out: it is more often the noun, "questions about whether …")
QUESTION_VERBS = _words("asked asks asking questioned questioning wondered wonders wondering")
# Verbs of requests: "appealed to the UN to intervene", "urged Israel to withdraw", "demanded an
# apology" ask for an action; they report no statement, so they are no claim (an appeal is an
# event).
REQUEST_VERBS = _words("appealed appeals urged urges demanded demands")
# Verbs whose noun phrase right after them is their object, never a subject put after the verb
# ("accused Israel: “…”", "called Trump “…”", "told CNN, “…”").
OBJECT_TAKING_VERBS = (
    OBJECT_VERBS
    | DENIAL_VERBS
    | QUESTION_VERBS
    | RECIPIENT_VERBS
    | _words(
        """called calls dubbed described describes named mocked questioned criticised criticized
        attacked slammed thanked quoted echoed answered answers decried decries denounced
        denounces condemned condemns"""
    )
)

PRONOUNS = {
    "he": "Person",
    "she": "Person",
    "him": "Person",
    "her": "Person",
    "they": "any",
    "it": "Organization",
    "we": "any",
    "i": "Person",
}

# The gender a third-person pronoun gives its antecedent.
PRONOUN_GENDERS = {"he": "male", "him": "male", "she": "female", "her": "female"}
# Common first names and description heads of one gender in English-language news: a pronoun's
# antecedent must not be of the other ("Clinton writes to Sullivan. He responds"). Names used for
# both ("Kelly", "Jordan", "Terry", "Lee", "Kim", "Chris", "Dana", "Lindsey") are in neither.
FEMALE_WORDS = _words(
    """Hillary Carly Nancy Elizabeth Sarah Sara Megyn Kellyanne Huma Ivanka Melania Chelsea
    Michelle Debbie Deborah Nikki Jeanne Jeanine Ann Anne Anna Mary Maria Marie Patricia Linda
    Barbara Susan Jessica Jennifer Karen Lisa Betty Betsy Margaret Sandra Ashley Kimberly Emily
    Donna Carol Carolyn Caroline Ruth Sharon Laura Cynthia Amy Angela Helen Brenda Pamela Nicole
    Katherine Catherine Kathleen Kathy Christine Christina Samantha Rachel Janet Heather Diane
    Dianne Diana Julie Julia Joyce Victoria Joan Evelyn Judith Judy Martha Cheryl Megan Meghan
    Andrea Olivia Hannah Jacqueline Gloria Teresa Theresa Sophia Sophie Madeleine Madeline
    Condoleezza Loretta Kirsten Claire Tammy Tulsi Jill Jane Nina Rosa Elena Ellen Eleanor Valerie
    Wendy Marsha Maxine Patty Patti Cecile Katie Kate Kristen Kristin Lauren Maureen Monica
    Rebecca Sally Stephanie Suzanne Tina Tara Melissa Natalie Paula Rose Sonia Stacey Stacy
    Vanessa Virginia Yvette Yolanda Gina Gretchen Leah Lois Louise Marcia Marilyn Mika Molly
    Peggy Phyllis Shirley Sheila Sylvia Zoe Ghazala Kamala Alicia Amanda Ana Bonnie Brooke Carla
    Connie Dolores Doris Dorothy Edith Erica Erin Esther Eva Florence Frances Gabriela Grace Irene
    Jean Jenna Joanna Josephine Juanita Lily Lucy Marla Marlene Maryam Naomi Norma Penny Rita
    Serena Sheryl Wanda Zeynep Hope Kristan Neera Rosario Amandla Mrs Mrs.
    Ms Ms. Miss woman women spokeswoman congresswoman chairwoman businesswoman councilwoman
    assemblywoman actress mother wife daughter sister grandmother widow girl niece aunt queen
    princess"""
)
MALE_WORDS = _words(
    """Donald Bernie Bernard Ted Marco Jeb Ben Benjamin John Christopher Barack Joe Joseph Mike
    Michael Paul Bill William Jake Jacob David James Robert Richard Thomas Tom Charles Daniel Dan
    Matthew Matt Anthony Mark Steven Steve Stephen Andrew Andy Kenneth Ken Kevin Brian George
    Edward Ed Ronald Ron Timothy Tim Jason Jeffrey Jeff Ryan Gary Eric Jonathan Larry Justin
    Scott Brandon Frank Gregory Greg Raymond Samuel Patrick Jack Dennis Jerry Tyler Aaron Henry
    Douglas Doug Peter Adam Nathan Walter Kyle Harold Carl Jeremy Keith Roger Gerald Arthur
    Lawrence Sean Albert Austin Billy Bruce Ralph Roy Louis Russell Bobby Bob Philip Phil Johnny
    Rand Rick Rudy Reince Newt Mitt Mitch Chuck Harry Hugh Corey Tad Jared Jim Jimmy Martin
    Rahm Rush Glenn Todd Alan Allen Barry Bryan Byron Calvin Carlos Clint Clarence Colin Craig
    Curtis Dale Darrell Dean Derek Dwight Earl Elijah Eugene Francis Fred Frederick Gordon Grant
    Herbert Herman Ian Isaac Ivan Joel Jon Jorge Juan Karl Khizr Leon Leonard Lloyd Luis Luke
    Marcus Marvin Milton Morton Neil Nelson Nick Nicholas Noah Norman Oliver Orrin Oscar Perry
    Preston Ray Rex Ricky Robby Rodney Ruben Saul Seth Sheldon Simon Stanley Stuart Terrence
    Theodore Tony Travis Trey Troy Ty Vernon Victor Vincent Wayne Wesley Zeke Vladimir Boris
    Emmanuel Hakeem Trevor Antonin Merrick Sergei Bashar Recep Hassan Xavier Tucker Rupert Mr
    Mr. man men spokesman congressman businessman councilman assemblyman actor father husband
    son brother grandfather widower boy nephew uncle king prince"""
)


def word_gender(word: str) -> str | None:
    """ "female" or "male" for a first name, title or noun of one gender ("Mrs.", "Hillary",
    "spokesman"), else None."""
    return "female" if word in FEMALE_WORDS else "male" if word in MALE_WORDS else None


# Head nouns of descriptions that can be an (unnamed) speaker.
PERSON_NOUNS = _words(
    """official officials spokesman spokeswoman spokesperson source sources diplomat diplomats
    officer officers analyst analysts critic critics expert experts member members leader leaders
    minister ministers ambassador ambassadors envoy envoys aide aides adviser advisers advisor
    author authors blogger bloggers poster posters witness witnesses resident residents
    commander commanders researcher researchers scientist scientists doctor doctors lawyer
    lawyers attorney attorneys prosecutor prosecutors judge judges activist activists negotiator
    negotiators representative representatives investigator investigators observer observers
    individuals people protesters demonstrators student students teacher teachers worker workers
    employee employees executive executives director directors chairman chairwoman president
    secretary insider insiders organizers organisers journalist journalists reporter reporters
    correspondent correspondents user users fan fans survivor survivors victim victims relative
    relatives father mother son daughter brother sister wife husband family neighbour neighbor
    neighbours neighbors owner owners manager managers coach coaches player players lawmaker
    lawmakers legislator legislators senator senators congressman congresswoman mayor governor
    general colonel captain soldier soldiers militant militants fighter fighters rebel rebels
    politician politicians candidate candidates voter voters economist economists professor
    professors campaigner campaigners volunteer volunteers staffer staffers insiders man men
    woman women person persons child children commenter commenters strategist strategists
    attendee attendees donor donors consultant consultants pollster pollsters supporter
    supporters lobbyist lobbyists operative operatives respondent respondents veteran veterans
    friend friends ally allies colleague colleagues viewer viewers reader readers listener
    listeners caller callers parent parents proponent proponents opponent opponents backer
    backers advocate advocates defender defenders detractor detractors skeptic skeptics sceptic
    sceptics historian historians counsel counselor counselors nominee nominees front-runner
    front-runners frontrunner frontrunners challenger challengers contender contenders incumbent
    hopeful hopefuls host hosts co-host moderator moderators anchor commentator commentators
    columnist columnists writer writers editor editors founder founders billionaire businessman
    businesswoman mogul actor actress singer comedian pastor preacher cleric imam rabbi priest
    bishop justice justices dissident dissidents"""
)
# Nouns whose "to" phrase belongs to them: "an adviser to Trump", "a senior aide to the governor".
TO_COMPLEMENT_NOUNS = _words(
    """adviser advisers advisor advisors aide aides assistant assistants counsel counselor
    ambassador ambassadors envoy envoys spokesman spokeswoman spokesperson consultant consultants
    secretary successor heir confidant confidante"""
)
ORG_NOUNS = _words(
    """government governments ministry ministries military army police authorities authority
    administration agency agencies council committee court company firm group organization
    organisation organizations organisations party regime office department spokesman's
    commission embassy parliament cabinet media campaign campaigns"""
)
# Things that speak for their issuer: "the statement said", "Cornyn's statement added".
DOCUMENT_NOUNS = _words(
    """statement statements report reports letter letters post posts tweet tweets message
    messages analysis study survey document documents website site blog release communique
    communiqué announcement memo email e-mail note notice editorial article interview transcript
    video broadcast paper"""
)
# Capitalised words that name organisations ("Ministry", "Council") or news outlets.
ORG_KEYWORDS = _words(
    """Ministry Office Department Council Agency Authority Authorities Party Police Army Forces
    Force Government Company Corporation Corp Inc Ltd University College School Association
    Foundation Commission Committee Bank Fund Institute Organization Organisation Union League
    Court Parliament Senate Congress Assembly Administration Bureau Service Services Group
    Brigade Brigades Movement Front Church Museum Center Centre Society Federation Board
    Network Corps Navy Guard Guards Team Club Laboratory Project Program Programme Secretariat
    Embassy Consulate Mission Municipality Conference Coalition Alliance Trust Council Cabinet
    Regime Hospital Library Academy Federation Directorate Command Unit Division Wing Faction
    Caucus Tribunal Court Reserve Exchange Airlines Industries Group Systems Technologies Labs
    Studios Foundation Initiative Campaign Watch Fund Cross Crescent Nations Convention Tower
    Towers Hotel Casino Resort Building Stadium Arena Airport Palace Mosque"""
)
OUTLET_KEYWORDS = _words(
    """News Times Post Journal Herald Gazette Tribune Press Radio Television TV Channel Magazine
    Daily Telegraph Guardian Observer Reuters AFP AP BBC CNN Wire Media Mail Express Weekly
    Chronicle Standard Independent Sun Star Globe Mirror Record Insider Broadcasting Yonhap
    Xinhua Bloomberg Politico Axios Haaretz Ynet Kyodo Interfax Tass TASS Sputnik Newsweek
    Economist Monitor Examiner Inquirer Courier Dispatch Bulletin Review Report Online Today
    Network Agency"""
)
# Titles and roles written before a name ("Lt.-Col. Richard Hecht", "Home Secretary Suella
# Braverman"); stripped when the name is a person's.
TITLES = _words(
    """Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Prof Prof. Professor Emeritus Sen Sen. Senator Rep
    Rep. Representative Gov Gov. Governor President Vice Prime Minister Ministers Secretary
    Secretary-General General Gen Gen. Lt Lt. Lt.-Col. Col Col. Colonel Capt Capt. Captain Major
    Maj. Sgt Sgt. Sergeant Adm Adm. Admiral Ambassador Chancellor King Queen Prince Princess
    Sheikh Sheik Rabbi Rev Rev. Reverend Father Pope Judge Justice Mayor Chairman Chairwoman
    Chair Chief Commander Director Spokesman Spokeswoman Spokesperson Deputy Foreign Defense
    Defence Home Interior Finance Shadow Acting Former Senior Supreme Leader Coach Officer
    Executive Undersecretary Under-Secretary Attorney Inspector Superintendent Detective Agent
    Speaker MP MK Premier Chief Coach Dame Sir Lord Lady Brig Brig. Brigadier Field Marshal
    Cardinal Archbishop Bishop Imam Ayatollah Mullah Emir Crown Colonel Lieutenant Sgt.
    Corporal Private Professor Doctor Minister-President QC SC Jr Jr. Sr Sr. Sens Sens. Reps
    Reps. Assemblyman Assemblywoman Congressman Congresswoman Councilman Councilwoman
    Commissioner Whip Founder Comedian Actor Actress Rapper Producer Author Novelist
    Filmmaker Businessman Businesswoman Billionaire Pastor Evangelist Televangelist Columnist
    Pollster Strategist Economist Historian Lawyer Activist Sheriff"""
)
# Capitalised words that make a title of the title after them ("Majority Leader", "Founding
# Father"): no first name before a surname that is a title ("Steve King", "Amy Pope").
TITLE_MODIFIERS = _words(
    """Majority Minority Assistant Associate Press Surgeon Opposition Party Police Fire Team Grand
    Principal Founding Holy Ranking Presiding Managing Head Station Staff Navy Army"""
)
# Capitalised words that start sentences or phrases but are not names.
NOT_NAMES = _words(
    """The A An In On At According After Asked While But And However This That These Those It He She
    They We I You His Her Their Its Our My Your Last Next Speaking Citing Discussing During Despite
    Although Since For From With Of By As If When Where Yesterday Today Tomorrow Just Also Both
    Other Some Many Several One Two Three Four Five Meanwhile Earlier Later Then There Here Such So
    Why What How Who Whom Which Having Asked Following Before Until Under Though Over Even Still
    Already Instead Recent Recently Latest Previously Finally Further Moreover Indeed Perhaps Only
    All Each Every No Not Neither Nor Either Any Most More Less Few First Second Third Another Once
    Twice Now Than Thus Therefore Because Whether Unlike Like Among Between Within Without Through
    Throughout Against Toward Towards Into Onto Upon About Above Below Around Behind Beyond Near
    Off Out Up Down Via Per Amid Amidst Image Photo Video Audio Read Full Illustrative File Report
    Reports See Watch Click Listen Subscribe To Or Yet Is Are Was Were Did Does Should Could Would
    Let Please Said Says Added Adds Explained Noted Wrote Replied Recalled Continued Tweeted
    Declared Insisted Stated Argued Warned Answered Have Has Had Do Don’t Don't Can Must Might
    Shall Being Been Well Never Again Nearly Almost Otherwise Overall Rather Really Simply Clearly
    Certainly Actually Ultimately Initially Eventually Likewise Similarly Additionally Nevertheless
    Nonetheless Regardless Hence Anyway Together Soon Often Sometimes Always Usually Across Along
    Beside Besides Beneath Except Regarding Concerning Alongside Nothing Everything Something
    Anything Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Twenty Thirty Forty
    Fifty Hundred Hundreds Thousands Dozens Millions Yes Yeah Wow Oh Okay Hey"""
)
# Capitalised adjectives of a party, a creed or a people: before a lowercase word they modify it
# ("Republican presidential nominee", "Islamist militants"), before a name they describe the
# person ("Democrat Hillary Clinton"); never a name of their own there.
AFFILIATIONS = _words(
    """Republican Democrat Democratic Libertarian GOP Islamist Jihadist Islamic Muslim Christian
    Jewish Catholic Evangelical Sunni Shiite Arab Palestinian Israeli Iranian Iraqi Syrian Afghan
    Pakistani Indian Chinese Japanese Korean Russian Ukrainian Turkish Kurdish Egyptian Saudi
    Lebanese Jordanian Yemeni Libyan Mexican Cuban Venezuelan Brazilian Canadian American British
    English Scottish Irish French German Italian Spanish Greek Dutch Swedish Polish European
    African Asian Latino Hispanic Texan Californian Floridian Soviet Nigerian Kenyan Somali
    Sudanese Algerian Moroccan Tunisian Qatari Emirati Kuwaiti Armenian Belgian Austrian Swiss
    Danish Norwegian Finnish Czech Hungarian Romanian Serbian Croatian Bosnian Albanian Portuguese
    Argentine Chilean Colombian Peruvian Haitian Filipino Indonesian Malaysian Vietnamese Burmese
    Australian Taiwanese Tibetan Uighur Yazidi Bahraini Omani Ethiopian Eritrean"""
)
# The short words a title leaves in lower case ("Trump Calls For a Ban on …").
TITLE_SMALL_WORDS = _words("a an the of and or nor but to in on at for by with from as vs")
MONTHS = _words(
    """January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"""
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
NAME_PARTICLES = _words("al el ad ud bin ibn de da del della di du van von der den la le ben abu")
CONNECTORS = _words("of for and &")
# Prepositions after which a capitalised phrase is an object or a place, not a speaker.
PREPOSITIONS = _words(
    """of to at in on from with for by about into onto over under against between among near
    toward towards via during after before since until than like including"""
)
# Introductory phrases that are not the speaker: "In a statement, …", "After the match, …".
INTRO_WORDS = _words(
    """in on at after before during following speaking asked according citing discussing
    while when of for despite although as since just last earlier later meanwhile however
    yesterday today in-a also but and then writing"""
)
# Occasions of speaking: a sentence with one of these dates the remarks that follow it.
OCCASION_WORDS = _words(
    """said says told stated comments comment remarks remark statement interview speech speaking
    spoke press conference met meeting meets visit visited boasted warned announced declared
    added claimed charged confirmed tweeted wrote letter appealed address addressed testified
    briefing debate session hearing rally summit appearance"""
)

# The states as datelines and addresses abbreviate them ("Aspen, Colo.", "Concord, N.H."), and
# two cities: a place, never anyone's name.
STATE_ABBREVIATIONS = _words(
    """Ala Ariz Ark Calif Colo Conn Fla Ill Kan Kans Ky Md Mass Mich Minn Mont Neb Nebr Nev Okla
    Ore Tenn Vt Wis Wisc Wyo N.H. N.J. N.M. N.Y. N.C. N.D. R.I. S.C. S.D. W.Va. D.C. L.A."""
)
# Places below the country that news names as where something happened, not who spoke: US states
# and large cities (a candidate speaker named like one is most likely a dateline or a venue).
PLACES = (
    STATE_ABBREVIATIONS
    | _words(
        """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia
    Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts
    Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon
    Pennsylvania Tennessee Texas Utah Vermont Virginia Wisconsin Wyoming Manhattan
    Brooklyn Chicago Boston Philadelphia Atlanta Houston Dallas Miami Denver Phoenix Seattle
    Detroit Cleveland Baltimore Orlando Tampa Milwaukee Pittsburgh Cincinnati
    Louisville Nashville Memphis Richmond Sacramento Albany Concord
    Manchester London Paris Berlin Moscow Beijing Tokyo Brussels Rome Madrid Geneva Vienna Kiev
    Kyiv Istanbul Ankara Cairo Tehran Baghdad Damascus Beirut Jerusalem Gaza Amman Riyadh Dubai
    Doha Kabul Islamabad Delhi Mumbai Seoul Pyongyang Manila Jakarta Sydney Toronto Ottawa
    Havana Caracas"""
    )
    | frozenset(
        [
            "New Hampshire",
            "New Jersey",
            "New Mexico",
            "New York",
            "North Carolina",
            "North Dakota",
            "Rhode Island",
            "South Carolina",
            "South Dakota",
            "West Virginia",
            "Las Vegas",
            "Los Angeles",
            "San Francisco",
            "San Diego",
            "San Antonio",
            "Salt Lake City",
            "New Orleans",
            "St. Louis",
            "Kansas City",
            "Des Moines",
            "Mexico City",
            "Tel Aviv",
            "Hong Kong",
            "New Delhi",
        ]
    )
)
COUNTRIES = frozenset(
    [
        "Afghanistan",
        "Albania",
        "Algeria",
        "Andorra",
        "Angola",
        "Argentina",
        "Armenia",
        "Australia",
        "Austria",
        "Azerbaijan",
        "Bahamas",
        "Bahrain",
        "Bangladesh",
        "Barbados",
        "Belarus",
        "Belgium",
        "Belize",
        "Benin",
        "Bhutan",
        "Bolivia",
        "Bosnia",
        "Botswana",
        "Brazil",
        "Brunei",
        "Bulgaria",
        "Burundi",
        "Cambodia",
        "Cameroon",
        "Canada",
        "Chad",
        "Chile",
        "China",
        "Colombia",
        "Comoros",
        "Congo",
        "Croatia",
        "Cuba",
        "Cyprus",
        "Czechia",
        "Denmark",
        "Djibouti",
        "Dominica",
        "Ecuador",
        "Egypt",
        "Eritrea",
        "Estonia",
        "Eswatini",
        "Ethiopia",
        "Fiji",
        "Finland",
        "France",
        "Gabon",
        "Gambia",
        "Georgia",
        "Germany",
        "Ghana",
        "Greece",
        "Grenada",
        "Guatemala",
        "Guinea",
        "Guyana",
        "Haiti",
        "Honduras",
        "Hungary",
        "Iceland",
        "India",
        "Indonesia",
        "Iran",
        "Iraq",
        "Ireland",
        "Israel",
        "Italy",
        "Jamaica",
        "Japan",
        "Jordan",
        "Kazakhstan",
        "Kenya",
        "Kiribati",
        "Kosovo",
        "Kuwait",
        "Kyrgyzstan",
        "Laos",
        "Latvia",
        "Lebanon",
        "Lesotho",
        "Liberia",
        "Libya",
        "Liechtenstein",
        "Lithuania",
        "Luxembourg",
        "Madagascar",
        "Malawi",
        "Malaysia",
        "Maldives",
        "Mali",
        "Malta",
        "Mauritania",
        "Mauritius",
        "Mexico",
        "Micronesia",
        "Moldova",
        "Monaco",
        "Mongolia",
        "Montenegro",
        "Morocco",
        "Mozambique",
        "Myanmar",
        "Namibia",
        "Nauru",
        "Nepal",
        "Netherlands",
        "Nicaragua",
        "Niger",
        "Nigeria",
        "Norway",
        "Oman",
        "Pakistan",
        "Palau",
        "Palestine",
        "Panama",
        "Paraguay",
        "Peru",
        "Philippines",
        "Poland",
        "Portugal",
        "Qatar",
        "Romania",
        "Russia",
        "Rwanda",
        "Samoa",
        "Senegal",
        "Serbia",
        "Seychelles",
        "Singapore",
        "Slovakia",
        "Slovenia",
        "Somalia",
        "Spain",
        "Sudan",
        "Suriname",
        "Sweden",
        "Switzerland",
        "Syria",
        "Taiwan",
        "Tajikistan",
        "Tanzania",
        "Thailand",
        "Togo",
        "Tonga",
        "Tunisia",
        "Turkey",
        "Turkmenistan",
        "Tuvalu",
        "Uganda",
        "Ukraine",
        "Uruguay",
        "Uzbekistan",
        "Vanuatu",
        "Venezuela",
        "Vietnam",
        "Yemen",
        "Zambia",
        "Zimbabwe",
    ]
) | frozenset(
    [
        "United States",
        "United Kingdom",
        "New Zealand",
        "South Africa",
        "South Korea",
        "North Korea",
        "Saudi Arabia",
        "Sri Lanka",
        "Costa Rica",
        "El Salvador",
        "Sierra Leone",
        "South Sudan",
        "East Timor",
        "Ivory Coast",
        "Burkina Faso",
        "Cape Verde",
        "Dominican Republic",
        "Czech Republic",
        "Central African Republic",
        "United Arab Emirates",
        "Papua New Guinea",
        "Equatorial Guinea",
        "Trinidad and Tobago",
        "Antigua and Barbuda",
        "Bosnia and Herzegovina",
        "North Macedonia",
        "San Marino",
        "Vatican City",
        "Marshall Islands",
        "Solomon Islands",
    ]
)

WORD = re.compile(r"[^\W\d_][\w’'\-.&]*|\d[\w.\-]*")


def alternation(words: Iterable[str]) -> str:
    """Plain lowercase words as a regex alternation, longest first, grouped by first letter.

    Only words with the letter at hand can match at a position, so the matches are those of the
    flat alternation ``a|b|…``; the engine just tries one group there instead of every word.
    """
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=lambda w: (-len(w), w)):
        assert word.isalpha() and word.islower(), word
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())
