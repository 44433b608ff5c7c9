"""Place names for the demo network: UP districts, towns, their Hindi names, localities.

Tables only, kept apart from the generator (demo.py) so both stay readable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _pairs(text: str) -> dict[str, str]:
    """'Ram=राम Shiv=शिव' -> {'Ram': 'राम', 'Shiv': 'शिव'}: compact English/Hindi tables."""
    return dict(pair.split("=", 1) for pair in text.split())


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")
ROMAN_HI = dict(
    zip(
        ROMAN,
        ("प्रथम", "द्वितीय", "तृतीय", "चतुर्थ", "पंचम", "षष्ठ", "सप्तम", "अष्टम", "नवम", "दशम", "एकादश"),
        strict=True,
    )
)


# --- geography ----------------------------------------------------------------------------
# District | city of its zone | latitude | longitude | Hindi | name used in addresses.
_DISTRICT_TABLE = """
MEERUT|MEERUT|28.984|77.706|मेरठ|Meerut
BAGHPAT|MEERUT|28.944|77.218|बागपत|Baghpat
GHAZIABAD|GHAZIABAD|28.669|77.454|ग़ाज़ियाबाद|Ghaziabad
HAPUR|GHAZIABAD|28.730|77.776|हापुड़|Hapur
NOIDA|NOIDA|28.535|77.391|नोएडा|Gautam Buddh Nagar
BULANDSHAHR|BULANDSHAHR|28.407|77.850|बुलंदशहर|Bulandshahr
MUZAFFARNAGAR|MUZAFFARNAGAR|29.473|77.704|मुज़फ़्फ़रनगर|Muzaffarnagar
SHAMLI|MUZAFFARNAGAR|29.450|77.310|शामली|Shamli
SAHARANPUR|SAHARANPUR|29.964|77.546|सहारनपुर|Saharanpur
MORADABAD|MORADABAD|28.839|78.773|मुरादाबाद|Moradabad
BIJNOR|MORADABAD|29.372|78.136|बिजनौर|Bijnor
RAMPUR|MORADABAD|28.810|79.026|रामपुर|Rampur
AMROHA|GAJRAULA|28.904|78.467|अमरोहा|Amroha
SAMBHAL|GAJRAULA|28.585|78.569|संभल|Sambhal
AGRA|AGRA|27.177|78.008|आगरा|Agra
ALIGARH|ALIGARH|27.883|78.078|अलीगढ़|Aligarh
HATHRAS|ALIGARH|27.596|78.050|हाथरस|Hathras
FIROZABAD|FIROZABAD|27.151|78.398|फ़िरोज़ाबाद|Firozabad
MAINPURI|FIROZABAD|27.235|79.023|मैनपुरी|Mainpuri
MATHURA|MATHURA|27.492|77.674|मथुरा|Mathura
ETAH|ETAH|27.559|78.662|एटा|Etah
KASGANJ|ETAH|27.808|78.646|कासगंज|Kasganj
JHANSI|JHANSI|25.448|78.568|झाँसी|Jhansi
LALITPUR|JHANSI|24.690|78.419|ललितपुर|Lalitpur
ORAI|JHANSI|25.990|79.450|उरई|Jalaun
BANDA|BANDA|25.476|80.335|बाँदा|Banda
CHITRAKOOT|BANDA|25.200|80.900|चित्रकूट|Chitrakoot
HAMIRPUR|BANDA|25.956|80.148|हमीरपुर|Hamirpur
MAHOBA|BANDA|25.292|79.873|महोबा|Mahoba
KANPUR|KANPUR|26.350|80.200|कानपुर|Kanpur Nagar
KANPUR DEHAT|KANPUR|26.412|79.986|कानपुर देहात|Kanpur Dehat
ETAWAH|KANPUR|26.785|79.015|इटावा|Etawah
AURAIYA|KANPUR|26.465|79.514|औरैया|Auraiya
FARRUKHABAD|KANPUR|27.390|79.580|फ़र्रुख़ाबाद|Farrukhabad
KANNAUJ|KANPUR|27.055|79.918|कन्नौज|Kannauj
KANPUR CITY|KANPUR CITY|26.449|80.331|कानपुर नगर|Kanpur
LUCKNOW|LUCKNOW|26.847|80.947|लखनऊ|Lucknow
UNNAO|LUCKNOW|26.548|80.488|उन्नाव|Unnao
RAIBAREILI|RAIBAREILI|26.230|81.234|रायबरेली|Raebareli
AMETHI|RAIBAREILI|26.154|81.814|अमेठी|Amethi
SITAPUR|SITAPUR|27.568|80.682|सीतापुर|Sitapur
HARDOI|SITAPUR|27.398|80.131|हरदोई|Hardoi
LAKHIMPUR|SITAPUR|27.948|80.780|लखीमपुर|Lakhimpur Kheri
AYODHYA|AYODHYA|26.792|82.199|अयोध्या|Ayodhya
AMBEDKAR NAGAR|AYODHYA|26.430|82.540|अम्बेडकर नगर|Ambedkar Nagar
BARABANKI|AYODHYA|26.927|81.183|बाराबंकी|Barabanki
SULTANPUR|AYODHYA|26.264|82.072|सुल्तानपुर|Sultanpur
GONDA|GONDA|27.133|81.962|गोंडा|Gonda
BAHRAICH|GONDA|27.574|81.594|बहराइच|Bahraich
BALRAMPUR|GONDA|27.430|82.180|बलरामपुर|Balrampur
SHRAVASTI|GONDA|27.507|82.000|श्रावस्ती|Shravasti
BAREILLY|BAREILLY|28.367|79.430|बरेली|Bareilly
BADAUN|BAREILLY|28.030|79.120|बदायूँ|Budaun
PILIBHIT|BAREILLY|28.631|79.804|पीलीभीत|Pilibhit
SHAHJAHANPUR|BAREILLY|27.883|79.912|शाहजहाँपुर|Shahjahanpur
VARANASI|VARANASI|25.318|82.974|वाराणसी|Varanasi
CHANDAULI|VARANASI|25.258|83.268|चंदौली|Chandauli
GHAZIPUR|VARANASI|25.580|83.577|ग़ाज़ीपुर|Ghazipur
JAUNPUR|VARANASI|25.746|82.684|जौनपुर|Jaunpur
PRAYAGRAJ|PRAYAGRAJ|25.436|81.846|प्रयागराज|Prayagraj
KAUSHAMBI|PRAYAGRAJ|25.531|81.378|कौशाम्बी|Kaushambi
PRATAPGARH|PRAYAGRAJ|25.897|81.945|प्रतापगढ़|Pratapgarh
FATEHPUR|PRAYAGRAJ|25.930|80.813|फ़तेहपुर|Fatehpur
GORAKHPUR|GORAKHPUR|26.760|83.373|गोरखपुर|Gorakhpur
DEORIA|GORAKHPUR|26.502|83.779|देवरिया|Deoria
KUSHINAGAR|GORAKHPUR|26.900|83.980|कुशीनगर|Kushinagar
MAHRAJGANJ|GORAKHPUR|27.130|83.560|महराजगंज|Maharajganj
BASTI|BASTI|26.800|82.730|बस्ती|Basti
SANT KABIR NAGAR|BASTI|26.770|83.030|संत कबीर नगर|Sant Kabir Nagar
SIDDHARTHA NAGAR|BASTI|27.290|83.090|सिद्धार्थनगर|Siddharthnagar
AZAMGARH|AZAMGARH|26.068|83.184|आज़मगढ़|Azamgarh
BALLIA|AZAMGARH|25.760|84.149|बलिया|Ballia
MAU|AZAMGARH|25.942|83.561|मऊ|Mau
MIRZAPUR|MIRZAPUR|25.146|82.569|मिर्ज़ापुर|Mirzapur
BHADOHI|MIRZAPUR|25.395|82.568|भदोही|Bhadohi
SONBHADRA|MIRZAPUR|24.688|83.068|सोनभद्र|Sonbhadra
"""
# Spellings in the source -> the district table's spelling.
_ALIASES = {
    "BULANDSHAHAR": "BULANDSHAHR",
    "BALIA": "BALLIA",
    "FARRUKKHABAD": "FARRUKHABAD",
    "SHAJAHANPUR": "SHAHJAHANPUR",
    "KAUSHAMBHI": "KAUSHAMBI",
    "AMBEDKARNAGAR": "AMBEDKAR NAGAR",
    "SIDHARTH NAGAR": "SIDDHARTHA NAGAR",
    "MAHARAJGANJ": "MAHRAJGANJ",
    "GOMTINAGAR": "GOMTI NAGAR",
}
# Town (as named in circle/division names) -> district. Lucknow and Kanpur city divisions have
# bare locality names.
_TOWNS = {
    "LUCKNOW": (
        "AISHBAGH ALAMBAGH AMINABAD CHINHAT CHOWK DALIGANJ DUBAGGA MAHANAGAR MALIHABAD RESIDENCY "
        "RAJAJIPURAM THAKURGANJ UNIVERSITY UPTRON PURANIA TALKATORA",
        "BAKSHI KA TALAB|GOMTI NAGAR|HUSSAIN GANJ|INDIRA NAGAR|KANPUR ROAD|LUCKNOW RURAL|"
        "MOHAN LAL GANJ|MUNSHI PULIA|NADAR GANJ|PARAG DAIRY|RAHEEM NAGAR|RAJ BHAWAN|SITAPUR ROAD|"
        "VIKAS NAGAR",
    ),
    "KANPUR CITY": (
        "ALOOMANDI GUMTI HANSPURAM JAJMAU KALYANPUR NAUBASTA NAWABGANJ PHOOLBAGH RATANPUR",
        "DADA NAGAR|DEHLI SUJANPUR|ELECTRICITY HOUSE|GOVIND NAGAR|HARISH GANJ|KIDWAI NAGAR|"
        "SARVODAYA NAGAR|WORLD BANK BARA|ZARIB CHAUKI",
    ),
    "MEERUT": ("MAWANA", ""),
    "BAGHPAT": ("BARAUT", ""),
    "GHAZIABAD": ("LONI MODINAGAR MURADNAGAR", ""),
    "HAPUR": ("GARHMUKHTESHWAR", ""),
    "NOIDA": ("", "GREATER NOIDA"),
    "BULANDSHAHR": ("DEBAI JAHANGIRABAD KHURJA SIANA", ""),
    "MUZAFFARNAGAR": ("BUDHANA KHATAULI", ""),
    "SAHARANPUR": ("BEHAT DEOBANDH NAKUR", "RAMPUR MANIHARAN"),
    "BIJNOR": ("CHANDPUR DHAMPUR NAGINA NAJIBABAD", ""),
    "RAMPUR": ("BILASPUR MILAK", ""),
    "AMROHA": ("GAJRAULA", ""),
    "SAMBHAL": ("BABRALA CHANDAUSI", ""),
    "AGRA": ("BAH ETMADPUR FATEHABAD IGLAS KHERAGARH KIRAWALI", ""),
    "ALIGARH": ("", ""),
    "FIROZABAD": ("JASRANA SHIKOHABAD SHIRSAGANJ TUNDLA", ""),
    "MATHURA": ("GOVERDHAN KOSI MATH VRINDAVAN", ""),
    "KASGANJ": ("", "KASGANJ RURAL"),
    "JHANSI": ("MAURANIPUR", ""),
    "BANDA": ("ATARRA", ""),
    "HAMIRPUR": ("RATH", ""),
    "KANPUR": ("CHAUBEYPUR GHATAMPUR", ""),
    "KANPUR DEHAT": ("JHIJAK PUKHRAYAN", ""),
    "ETAWAH": ("SAIFAI", ""),
    "AURAIYA": ("DIBYAPUR", ""),
    "FARRUKHABAD": ("KAYAMGANJ", ""),
    "KANNAUJ": ("CHHIBRAMAU", ""),
    "UNNAO": ("", ""),
    "RAIBAREILI": ("DALMAU SALON UNCHAHAR", "LALGANJ RAIBAREILI"),
    "AMETHI": ("AMETHI GAURIGANJ JAGDISHPUR TILOI", ""),
    "SITAPUR": ("BISWAN MAHMUDABAD", ""),
    "HARDOI": ("SANDILA SHAHABAD", ""),
    "LAKHIMPUR": ("GOLA MOHAMMADI PALIA", ""),
    "AYODHYA": ("RUDAULI", ""),
    "AMBEDKAR NAGAR": ("ALAPUR JALALPUR TANDA", ""),
    "BARABANKI": ("HAIDERGARH", "RAMSNEHI GHAT"),
    "SULTANPUR": ("JAISINGHPUR KADIPUR LAMBHUA", ""),
    "BAHRAICH": ("KAISERGANJ NANPARA", ""),
    "BALRAMPUR": ("TULSIPUR", ""),
    "SHRAVASTI": ("SRAVASTI", ""),
    "BAREILLY": ("AONLA BAHERI", ""),
    "BADAUN": ("BISAULI UJHANI", ""),
    "PILIBHIT": ("BISALPUR PURANPUR", ""),
    "SHAHJAHANPUR": ("JALALABAD POWAYAN TILHAR", ""),
    "VARANASI": (
        "BHELUPUR CHETMANI CHIRAIGAON CHOKAGHAT KAJJAKPURA MACHODARI SARNATH TRANSVERNA",
        "",
    ),
    "CHANDAULI": ("SAKALDIHA SHIKARIGANJ", "MUGHAL SARAI"),
    "GHAZIPUR": ("JAMANIYA SAIDPUR", ""),
    "JAUNPUR": ("MACHHALISHAR SHAHGANJ", ""),
    "PRAYAGRAJ": (
        "BAMRAULI HADIYA KARAILABAGH MAYOHALL NAINI PHAPHAMAU PHOOLPUR RAMBAGH",
        "KALYANI DEVI|TAGORE TOWN|MEJA PRAYAGRAJ",
    ),
    "KAUSHAMBI": ("CHAYAL", ""),
    "PRATAPGARH": ("LALGANJ", "RANI GANJ"),
    "FATEHPUR": ("KHAGA", ""),
    "GORAKHPUR": ("BAKRASHPUR BUXIPUR CAMPIEARGANJ KAURIRAM MADHAULI", "CHAURI CHAURA|TOWN HALL"),
    "DEORIA": ("BARHAJ SALEMPUR", "GAURI BAZAR"),
    "KUSHINAGAR": ("HATA KASYA PADRAUNA SEVRAHI", ""),
    "MAHRAJGANJ": ("NAUTANWA NICHLAUL", "ANAND NAGAR"),
    "BASTI": ("HARAIYA", ""),
    "SANT KABIR NAGAR": ("KHALILABAD MEHDAWAL", ""),
    "SIDDHARTHA NAGAR": ("BANSI DUMARIAGANJ", ""),
    "AZAMGARH": ("", ""),
    "BALLIA": ("BAIRIYA BANSDIH", ""),
    "MAU": ("GHOSI", ""),
    "MIRZAPUR": ("CHUNAR", ""),
    "BHADOHI": ("GOPIGANJ", ""),
    "SONBHADRA": ("PIPARI ROBERTSGANJ", ""),
}
# Bare-named (Lucknow/Kanpur) divisions that serve the rural fringe.
RURAL_BARE_DIVISIONS = frozenset(
    {"BAKSHI KA TALAB", "MALIHABAD", "MOHAN LAL GANJ", "RAMSNEHI GHAT"}
)
LUCKNOW_ZONES = frozenset({"LUCKNOW CENTRAL", "JANKIPURAM", "GOMTI NAGAR", "AMAUSI"})

# Hindi for the words of zone/circle/division names; a name with an unknown word keeps its
# English name only (name_hi blank) rather than a guessed transliteration.
_HINDI_WORDS = {
    "EDC": "विद्युत वितरण मंडल",
    "EUDC": "विद्युत नगरीय वितरण मंडल",
    "EDD": "विद्युत वितरण खंड",
    "EUDD": "विद्युत नगरीय वितरण खंड",
    "CIRCLE": "मंडल",
    **ROMAN_HI,
    **_pairs(
        "CENTRAL=सेंट्रल JANKIPURAM=जानकीपुरम GOMTI=गोमती NAGAR=नगर AMAUSI=अमौसी CITY=सिटी "
        "GAJRAULA=गजरौला RURAL=ग्रामीण DEHAT=देहात SANT=संत KABIR=कबीर AMBEDKAR=अम्बेडकर "
        "SIDDHARTHA=सिद्धार्थ GREATER=ग्रेटर LONI=लोनी FATEHABAD=फ़तेहाबाद DHAMPUR=धामपुर "
        "GOLA=गोला GAURIGANJ=गौरीगंज CHOWK=चौक INDIRA=इंदिरा MAHANAGAR=महानगर PURANIA=पुरनिया "
        "RAJ=राज BHAWAN=भवन TALKATORA=तालकटोरा VRINDAVAN=वृंदावन AISHBAGH=ऐशबाग "
        "ALAMBAGH=आलमबाग AMINABAD=अमीनाबाद BAKSHI=बख़्शी KA=का TALAB=तालाब CHINHAT=चिनहट "
        "DALIGANJ=डालीगंज DUBAGGA=दुबग्गा GOMTINAGAR=गोमतीनगर HUSSAIN=हुसैन GANJ=गंज "
        "ROAD=रोड MALIHABAD=मलिहाबाद MOHAN=मोहन LAL=लाल MUNSHI=मुंशी PULIA=पुलिया "
        "PARAG=पराग DAIRY=डेयरी RAHEEM=रहीम RAJAJIPURAM=राजाजीपुरम RAMSNEHI=रामसनेही "
        "GHAT=घाट RESIDENCY=रेज़ीडेंसी THAKURGANJ=ठाकुरगंज UNIVERSITY=यूनिवर्सिटी "
        "UPTRON=अपट्रॉन VIKAS=विकास ALOOMANDI=आलूमंडी DADA=दादा DEHLI=देहली "
        "SUJANPUR=सुजानपुर ELECTRICITY=इलेक्ट्रिसिटी HOUSE=हाउस GOVIND=गोविंद GUMTI=गुमटी "
        "HANSPURAM=हंसपुरम HARISH=हरीश JAJMAU=जाजमऊ KALYANPUR=कल्याणपुर KIDWAI=किदवई "
        "NAUBASTA=नौबस्ता NAWABGANJ=नवाबगंज PHOOLBAGH=फूलबाग RATANPUR=रतनपुर "
        "SARVODAYA=सर्वोदय WORLD=वर्ल्ड BANK=बैंक BARA=बर्रा ZARIB=ज़रीब CHAUKI=चौकी "
        "MAWANA=मवाना BARAUT=बड़ौत MODINAGAR=मोदीनगर MURADNAGAR=मुरादनगर KHURJA=खुर्जा "
        "DEOBANDH=देवबंद NAJIBABAD=नजीबाबाद NAGINA=नगीना CHANDPUR=चांदपुर CHANDAUSI=चंदौसी "
        "SHIKOHABAD=शिकोहाबाद TUNDLA=टूंडला KOSI=कोसी GOVERDHAN=गोवर्धन SAIFAI=सैफई "
        "TANDA=टांडा RUDAULI=रुदौली NANPARA=नानपारा TULSIPUR=तुलसीपुर SANDILA=संडीला "
        "BISWAN=बिसवां KHALILABAD=खलीलाबाद PADRAUNA=पडरौना CHUNAR=चुनार NAINI=नैनी "
        "PHAPHAMAU=फाफामऊ PHOOLPUR=फूलपुर SARNATH=सारनाथ BHELUPUR=भेलूपुर "
        "MUGHAL=मुग़ल SARAI=सराय"
    ),
    **_pairs(
        "ALAPUR=आलापुर ANAND=आनंद AONLA=आंवला ATARRA=अतर्रा BABRALA=बबराला BAH=बाह "
        "BAHERI=बहेड़ी BANSDIH=बांसडीह BANSI=बांसी BARHAJ=बरहज BEHAT=बेहट BILASPUR=बिलासपुर "
        "BISALPUR=बीसलपुर BISAULI=बिसौली BUDHANA=बुढ़ाना CAMPIEARGANJ=कैम्पियरगंज CHAURI=चौरी "
        "CHAURA=चौरा CHAYAL=चायल CHHIBRAMAU=छिबरामऊ CHIRAIGAON=चिरईगांव DALMAU=डलमऊ "
        "DEBAI=डिबाई DIBYAPUR=दिबियापुर DUMARIAGANJ=डुमरियागंज ETMADPUR=एत्मादपुर "
        "GARHMUKHTESHWAR=गढ़मुक्तेश्वर GAURI=गौरी BAZAR=बाज़ार GHATAMPUR=घाटमपुर "
        "GOPIGANJ=गोपीगंज HADIYA=हंडिया HAIDERGARH=हैदरगढ़ HARAIYA=हर्रैया HATA=हाटा "
        "RAMNAGAR=रामनगर CHAUBEYPUR=चौबेपुर TRIPHULA=त्रिफुला MILKIPUR=मिल्कीपुर GHOSI=घोसी "
        "COLONELGANJ=कर्नलगंज KAISERGANJ=कैसरगंज SAKALDIHA=सकलडीहा PURWA=पुरवा BAIRIYA=बैरिया "
        "MANKAPUR=मनकापुर IGLAS=इगलास KIRAWALI=किरावली BANGARMAU=बांगरमऊ JAGDISHPUR=जगदीशपुर "
        "JAHANGIRABAD=जहांगीराबाद JAISINGHPUR=जयसिंहपुर JALALABAD=जलालाबाद JALALPUR=जलालपुर "
        "JAMANIYA=जमानिया JASRANA=जसराना JHIJAK=झींझक KADIPUR=कादीपुर KASYA=कसया "
        "KAURIRAM=कौड़ीराम KAYAMGANJ=कायमगंज KHAGA=खागा KHATAULI=खतौली KHERAGARH=खेरागढ़ "
        "LALGANJ=लालगंज LAMBHUA=लंभुआ MACHHALISHAR=मछलीशहर MAHMUDABAD=महमूदाबाद MATH=मांट "
        "MAURANIPUR=मऊरानीपुर MEHDAWAL=मेंहदावल MEJA=मेजा MILAK=मिलक MOHAMMADI=मोहम्मदी "
        "NAKUR=नकुड़ NAUTANWA=नौतनवा NICHLAUL=निचलौल PALIA=पलिया PIPARI=पिपरी POWAYAN=पुवायां "
        "PUKHRAYAN=पुखरायां PURANPUR=पूरनपुर MANIHARAN=मनिहारान RANI=रानी RATH=राठ "
        "ROBERTSGANJ=रॉबर्ट्सगंज SAIDPUR=सैदपुर SALEMPUR=सलेमपुर SALON=सलोन SEVRAHI=सेवरही "
        "SHAHABAD=शाहाबाद SHAHGANJ=शाहगंज SHIKARIGANJ=शिकारगंज SHIRSAGANJ=सिरसागंज "
        "SIANA=स्याना SIDHARTH=सिद्धार्थ SRAVASTI=श्रावस्ती TILHAR=तिलहर TILOI=तिलोई "
        "UJHANI=उझानी UNCHAHAR=ऊंचाहार HASANGANJ=हसनगंज BAMRAULI=बमरौली TOWN=टाउन HALL=हॉल "
        "BUXIPUR=बक्शीपुर CHOKAGHAT=चौकाघाट BAKRASHPUR=बकराशपुर MACHODARI=मछोदरी "
        "CHETMANI=चेतमणि KALYANI=कल्याणी DEVI=देवी KARAILABAGH=करेलाबाग MAYOHALL=मेयोहॉल "
        "RAMBAGH=रामबाग TAGORE=टैगोर TRANSVERNA=ट्रांसवरुणा MADHAULI=मधौली "
        "KAJJAKPURA=कज्जाकपुरा NADAR=नादर"
    ),
}


@dataclass(frozen=True, slots=True)
class District:
    key: str
    zone_city: str
    latitude: float
    longitude: float
    name_hi: str
    display: str


def _districts() -> dict[str, District]:
    table: dict[str, District] = {}
    for line in _DISTRICT_TABLE.strip().splitlines():
        key, city, lat, lon, hindi, display = line.split("|")
        table[key] = District(key, city, float(lat), float(lon), hindi, display)
    return table


DISTRICTS = _districts()
TOWN_DISTRICT: dict[str, str] = {}
for _district, (_single, _multi) in _TOWNS.items():
    for _town in [*_single.split(), *filter(None, _multi.split("|"))]:
        TOWN_DISTRICT[_town] = _district
for _info in DISTRICTS.values():
    _HINDI_WORDS.setdefault(_info.key, _info.name_hi)
    if len(_info.key.split()) == len(_info.name_hi.split()):  # word by word, when it lines up
        for _word, _hindi in zip(_info.key.split(), _info.name_hi.split(), strict=True):
            _HINDI_WORDS.setdefault(_word, _hindi)


def district_of(token: str) -> str | None:
    """The district a circle/division name's place token lies in, if known."""
    token = _ALIASES.get(token, token)
    for candidate in (token, *token.split()):
        candidate = _ALIASES.get(candidate, candidate)
        if candidate in TOWN_DISTRICT:
            return TOWN_DISTRICT[candidate]
        if candidate in DISTRICTS:
            return candidate
    return None


def place_token(name: str) -> str:
    """'EDD II MEERUT' -> 'MEERUT': the name without office prefix and roman numerals."""
    words = [w for w in name.split() if w not in ROMAN and w not in ("EDC", "EUDC", "EDD", "EUDD")]
    return _ALIASES.get(" ".join(words), " ".join(words))


def hindi_name(name: str) -> str:
    if name in _HINDI_WORDS:
        return _HINDI_WORDS[name]
    words = [_HINDI_WORDS.get(_ALIASES.get(w, w)) for w in name.split()]
    return " ".join(w for w in words if w) if all(words) else ""


# --- localities ---------------------------------------------------------------------------
_STEMS = list(
    _pairs(
        "Ram=राम Shiv=शिव Hari=हरि Kishan=किशन Madho=माधो Sultan=सुल्तान Fateh=फ़तेह Chand=चाँद "
        "Bahadur=बहादुर Rasul=रसूल Gopal=गोपाल Keshav=केशव Bhawani=भवानी Sita=सीता Devi=देवी "
        "Narayan=नारायण Raghu=रघु Bhim=भीम Ganga=गंगा Kamal=कमल Moti=मोती Lal=लाल Sher=शेर "
        "Nawab=नवाब Mohan=मोहन Radha=राधा Krishna=कृष्ण Indra=इंद्र Chandra=चंद्र Jagat=जगत "
        "Kalyan=कल्याण Azad=आज़ाद Subhash=सुभाष Tilak=तिलक Rajendra=राजेंद्र Shanti=शांति "
        "Vijay=विजय Prem=प्रेम Anand=आनंद Hanuman=हनुमान Durga=दुर्गा Kali=काली Bhola=भोला "
        "Hasan=हसन Karim=करीम Salem=सलेम Daulat=दौलत Jamal=जमाल"
    ).items()
)
_VILLAGE_ENDS = list(
    _pairs("pur=पुर purwa=पुरवा ganj=गंज garh=गढ़ pura=पुरा khera=खेड़ा dih=डीह nagla=नगला").items()
)
_MOHALLA_ENDS = list(
    _pairs(
        "Nagar=नगर Colony=कॉलोनी Vihar=विहार Puram=पुरम Ganj=गंज Bagh=बाग़ Bazar=बाज़ार Tola=टोला"
    ).items()
)


def locality(rng: random.Random, *, urban: bool) -> tuple[str, str]:
    """A plausible mohalla (urban) or village (rural) name, English and Hindi."""
    stem_en, stem_hi = rng.choice(_STEMS)
    if urban:
        end_en, end_hi = rng.choice(_MOHALLA_ENDS)
        return f"{stem_en} {end_en}", f"{stem_hi} {end_hi}"
    end_en, end_hi = rng.choice(_VILLAGE_ENDS)
    if end_en == "nagla":  # "Nagla Ram": the Braj way of naming a hamlet
        return f"Nagla {stem_en}", f"नगला {stem_hi}"
    return f"{stem_en}{end_en}", f"{stem_hi}{end_hi}"
