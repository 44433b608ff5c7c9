"""What the 1912 IVR says, in Hindi and English, as data keyed by language.

Spoken text differs from written text: numbers callers must note are spelled digit by digit
("M V, 2 6 1 1 2 8, 0 0 0 4 2"), times are said the way people say them ("आज शाम 6:30 बजे"),
and no prompt relies on punctuation or symbols. Both languages are written here (not through the
gettext catalog) so that the Hindi voice is never handed English text. Pure data and string
functions: no Django imports.
"""

from __future__ import annotations

from datetime import datetime, timedelta

HINDI = "hi"
ENGLISH = "en"

PROMPTS: dict[str, dict[str, str]] = {
    "greeting": {
        "hi": "उत्तर प्रदेश पावर कॉरपोरेशन की बिजली हेल्पलाइन 1912 में आपका स्वागत है।",
        "en": "Welcome to 1912, the electricity helpline of Uttar Pradesh Power Corporation.",
    },
    "language_hindi": {
        "hi": "हिंदी के लिए 1 दबाएँ।",
        "en": "For Hindi, press 1.",
    },
    "language_english": {
        "hi": "अंग्रेज़ी के लिए 2 दबाएँ।",
        "en": "For English, press 2.",
    },
    "not_registered": {
        "hi": "इस मोबाइल नंबर पर कोई बिजली कनेक्शन दर्ज नहीं मिला।",
        "en": "We could not find an electricity connection registered on this mobile number.",
    },
    "several_connections": {
        "hi": "यह मोबाइल नंबर {count} कनेक्शनों पर दर्ज है।",
        "en": "This mobile number is registered on {count} connections.",
    },
    "enter_account": {
        "hi": "कृपया अपने बिल पर छपी 10 अंकों की खाता संख्या डालें, और उसके बाद हैश का बटन दबाएँ।",
        "en": "Please enter the 10-digit account number printed on your bill, "
        "followed by the hash key.",
    },
    "account_length": {
        "hi": "खाता संख्या में पूरे 10 अंक होते हैं।",
        "en": "An account number has exactly 10 digits.",
    },
    "account_unknown": {
        "hi": "इस खाता संख्या का कोई कनेक्शन नहीं मिला।",
        "en": "No connection has this account number.",
    },
    "read_back": {
        "hi": "आपने डाला है: {digits}। सही है तो 1 दबाएँ, दोबारा डालने के लिए 2 दबाएँ।",
        "en": "You entered {digits}. If this is correct, press 1. To enter it again, press 2.",
    },
    "outage_unplanned": {
        "hi": "आपके क्षेत्र में {reason} के कारण बिजली बंद है। बिजली {etr} तक आने की संभावना है।",
        "en": "Power is off in your area because of: {reason}. It is expected back {etr}.",
    },
    "outage_planned": {
        "hi": "आपके क्षेत्र में नियोजित कार्य, {reason}, के लिए बिजली बंद है। बिजली {etr} तक आने की संभावना है।",
        "en": "Power is off in your area for planned work: {reason}. It is expected back {etr}.",
    },
    "outage_overdue": {
        "hi": "आपके क्षेत्र में {reason} के कारण बिजली बंद है। बहाली में अनुमान से अधिक समय लग रहा है; "
        "हमारी टीम काम पर लगी है।",
        "en": "Power is off in your area because of: {reason}. Restoration is taking longer "
        "than expected; our team is working on it.",
    },
    "outage_menu": {
        "hi": "फिर भी शिकायत दर्ज कराने के लिए 1 दबाएँ। बिजली आने पर एसएमएस पाने के लिए 2 दबाएँ। "
        "हमारे प्रतिनिधि से बात करने के लिए 9 दबाएँ।",
        "en": "To register a complaint anyway, press 1. To get an SMS when power is restored, "
        "press 2. To speak to an agent, press 9.",
    },
    "main_menu": {
        "hi": "बिजली न आने की शिकायत के लिए 1 दबाएँ। तार टूटने, चिंगारी निकलने या खंभा गिरने जैसे "
        "खतरे के लिए 2 दबाएँ। बिल या मीटर की समस्या के लिए 3 दबाएँ। शिकायत की स्थिति जानने के "
        "लिए 4 दबाएँ। हमारे प्रतिनिधि से बात करने के लिए 9 दबाएँ।",
        "en": "For no power supply, press 1. For danger, such as a snapped wire, sparking or a "
        "fallen pole, press 2. For a bill or meter problem, press 3. To know the status of a "
        "complaint, press 4. To speak to an agent, press 9.",
    },
    "bill_menu": {
        "hi": "गलत बिल या गलत मीटर रीडिंग के लिए 1 दबाएँ। मीटर खराब होने पर 2 दबाएँ। "
        "प्रतिनिधि से बात करने के लिए 9 दबाएँ।",
        "en": "For a wrong bill or meter reading, press 1. For a faulty meter, press 2. "
        "To speak to an agent, press 9.",
    },
    "registered": {
        "hi": "आपकी शिकायत दर्ज हो गई है। आपकी शिकायत संख्या है: {number}। फिर से सुनें: {number}।",
        "en": "Your complaint is registered. Your complaint number is: {number}. "
        "Once again: {number}.",
    },
    "registered_sms": {
        "hi": "यह संख्या आपके मोबाइल पर संदेश से भी भेज दी गई है।",
        "en": "We have also sent this number to your mobile.",
    },
    "registered_outage": {
        "hi": "यह शिकायत आपके क्षेत्र की बिजली कटौती से जोड़ दी गई है, अलग से लाइनमैन भेजने की "
        "आवश्यकता नहीं है। बिजली आने पर आपको सूचना दी जाएगी।",
        "en": "It is linked to the outage in your area, so no separate visit is needed. "
        "You will be told when power returns.",
    },
    "registered_before": {
        "hi": "इस समस्या की आपकी शिकायत पहले से दर्ज है। शिकायत संख्या है: {number}। "
        "आपका अनुस्मारक नोट कर लिया गया है।",
        "en": "You already have a complaint open for this problem. Its number is: {number}. "
        "Your reminder has been noted.",
    },
    "hazard_registered": {
        "hi": "आपकी आपातकालीन शिकायत दर्ज हो गई है। शिकायत संख्या है: {number}। "
        "तार या खंभे से दूर रहें और दूसरों को भी दूर रखें।",
        "en": "Your emergency complaint is registered. Its number is: {number}. "
        "Stay away from the wire or pole, and keep others away.",
    },
    "hazard_connecting": {
        "hi": "आपको हमारे आपातकालीन डेस्क से जोड़ा जा रहा है।",
        "en": "Connecting you to our emergency desk now.",
    },
    "restoration_sms": {
        "hi": "धन्यवाद। बिजली बहाल होते ही आपको एसएमएस भेजा जाएगा।",
        "en": "Thank you. You will get an SMS as soon as power is restored.",
    },
    "restored_already": {
        "hi": "इस कटौती की बिजली बहाल हो चुकी है।",
        "en": "Power from this outage has already been restored.",
    },
    "status_none": {
        "hi": "आपकी कोई खुली शिकायत नहीं मिली।",
        "en": "We found no open complaint of yours.",
    },
    "enter_complaint": {
        "hi": "कृपया अपनी शिकायत संख्या के अंक डालें, अक्षर छोड़कर: पहले 6 अंकों की तारीख, फिर क्रम "
        "संख्या, और अंत में हैश का बटन दबाएँ।",
        "en": "Please enter the digits of your complaint number, leaving out the letters: first "
        "the 6-digit date, then the serial number, and then the hash key.",
    },
    "complaint_length": {
        "hi": "शिकायत संख्या में 7 से 11 अंक होते हैं।",
        "en": "A complaint number has 7 to 11 digits.",
    },
    "complaint_unknown": {
        "hi": "इस संख्या की कोई शिकायत नहीं मिली।",
        "en": "We could not find a complaint with this number.",
    },
    "choose_complaint": {
        "hi": "शिकायत {number} के लिए {key} दबाएँ।",
        "en": "For complaint {number}, press {key}.",
    },
    "choose_other": {
        "hi": "दूसरी शिकायत संख्या डालने के लिए 0 दबाएँ।",
        "en": "To enter another complaint number, press 0.",
    },
    "status": {
        "hi": "शिकायत {number} {status}।",
        "en": "Complaint {number} {status}.",
    },
    "status_due": {
        "hi": "इसका समाधान {when} तक होना है।",
        "en": "It is due to be resolved {when}.",
    },
    "confirm_resolution": {
        "hi": "क्या आपकी समस्या हल हो गई है? हाँ के लिए 1 दबाएँ, शिकायत बंद कर दी जाएगी। नहीं के लिए "
        "2 दबाएँ, शिकायत फिर से खोलकर वरिष्ठ अधिकारी को भेजी जाएगी।",
        "en": "Is your problem solved? For yes, press 1, and the complaint will be closed. For "
        "no, press 2, and it will be reopened and sent to a senior officer.",
    },
    "closed": {
        "hi": "धन्यवाद। शिकायत {number} बंद कर दी गई है।",
        "en": "Thank you. Complaint {number} is now closed.",
    },
    "reopened": {
        "hi": "हमें खेद है कि समस्या बनी हुई है। शिकायत {number} फिर से खोल दी गई है और वरिष्ठ "
        "अधिकारी को भेज दी गई है।",
        "en": "We are sorry the problem remains. Complaint {number} is reopened and sent to a "
        "senior officer.",
    },
    "rate": {
        "hi": "कृपया हमारी सेवा को 1 से 5 के बीच अंक दें; 5 सबसे अच्छा है।",
        "en": "Please rate our service from 1 to 5, where 5 is the best.",
    },
    "rated": {
        "hi": "अपनी राय देने के लिए धन्यवाद।",
        "en": "Thank you for your rating.",
    },
    "claim_offer": {
        "hi": "यह शिकायत नियामक द्वारा तय समय-सीमा में हल नहीं हुई, इसलिए आपको क्षतिपूर्ति मिल सकती "
        "है। क्षतिपूर्ति का दावा दर्ज करने के लिए 1 दबाएँ, अन्यथा 2 दबाएँ।",
        "en": "This complaint was not resolved within the time limit set by the regulator, so "
        "compensation may be due to you. To lodge a claim, press 1. Otherwise, press 2.",
    },
    "claim_lodged": {
        "hi": "आपका दावा दर्ज हो गया है। दावा संख्या है: {claim}। राशि नियमों के अनुसार तय होकर 60 "
        "दिनों के भीतर दी जाएगी।",
        "en": "Your claim is lodged. The claim number is: {claim}. The amount is worked out "
        "under the regulations and paid within 60 days.",
    },
    "claim_exists": {
        "hi": "इस शिकायत पर आपका दावा पहले से दर्ज है। दावा संख्या है: {claim}।",
        "en": "Your claim on this complaint is already lodged. The claim number is: {claim}.",
    },
    "anything_else": {
        "hi": "मुख्य मेनू के लिए 0 दबाएँ। प्रतिनिधि से बात करने के लिए 9 दबाएँ।",
        "en": "For the main menu, press 0. To speak to an agent, press 9.",
    },
    "wait_offer": {
        "hi": "हमारे सभी प्रतिनिधि अभी व्यस्त हैं। प्रतीक्षा का अनुमानित समय लगभग {minutes} मिनट है। "
        "अपनी बारी खोए बिना वापस कॉल पाने के लिए 1 दबाएँ। प्रतीक्षा करने के लिए 2 दबाएँ।",
        "en": "All our agents are busy. The expected wait is about {minutes} minutes. To get a "
        "call back without losing your place, press 1. To keep waiting, press 2.",
    },
    "callback_booked": {
        "hi": "धन्यवाद। आपकी बारी आने पर हम आपको इसी नंबर पर वापस कॉल करेंगे; "
        "इसकी पुष्टि एसएमएस से की जाएगी।",
        "en": "Thank you. We will call you back on this number in your turn; an SMS confirms it.",
    },
    "connecting": {
        "hi": "आपको हमारे प्रतिनिधि से जोड़ा जा रहा है, कृपया लाइन पर बने रहें।",
        "en": "Connecting you to an agent; please stay on the line.",
    },
    "agents_unavailable": {
        "hi": "क्षमा करें, अभी कोई प्रतिनिधि उपलब्ध नहीं है। हम आपको इसी नंबर पर वापस कॉल करेंगे।",
        "en": "Sorry, no agent can take your call right now. We will call you back on this number.",
    },
    "invalid": {
        "hi": "क्षमा करें, यह सही विकल्प नहीं है।",
        "en": "Sorry, that is not a valid choice.",
    },
    "no_input": {
        "hi": "क्षमा करें, हमें आपका उत्तर नहीं मिला।",
        "en": "Sorry, we did not receive your answer.",
    },
    "sorry_failed": {
        "hi": "क्षमा करें, अभी यह नहीं हो सका।",
        "en": "Sorry, we could not do that just now.",
    },
    "goodbye": {
        "hi": "1912 पर कॉल करने के लिए धन्यवाद।",
        "en": "Thank you for calling 1912.",
    },
}

# How a complaint's status is said after "शिकायत <number>" / "Complaint <number>".
STATUS_SPOKEN: dict[str, dict[str, str]] = {
    "registered": {"hi": "दर्ज है", "en": "is registered"},
    "assigned": {
        "hi": "आपके क्षेत्र के अभियंता को सौंप दी गई है",
        "en": "has been given to the engineer for your area",
    },
    "in_progress": {"hi": "पर काम चल रहा है", "en": "is being worked on"},
    "waiting_consumer": {
        "hi": "आपसे जानकारी की प्रतीक्षा में है",
        "en": "is waiting for information from you",
    },
    "resolved": {
        "hi": "को फील्ड टीम ने हल बताया है",
        "en": "has been marked resolved by the field team",
    },
    "closed": {"hi": "बंद हो चुकी है", "en": "is closed"},
    "reopened": {
        "hi": "फिर से खोली गई है और उस पर दोबारा काम हो रहा है",
        "en": "has been reopened and is being worked on again",
    },
    "cancelled": {"hi": "रद्द कर दी गई थी", "en": "was cancelled"},
    "duplicate": {
        "hi": "किसी दूसरी शिकायत की दोहराई के रूप में बंद की गई",
        "en": "was closed as a repeat of another complaint",
    },
}

MONTHS = {
    "hi": [
        "जनवरी",
        "फ़रवरी",
        "मार्च",
        "अप्रैल",
        "मई",
        "जून",
        "जुलाई",
        "अगस्त",
        "सितंबर",
        "अक्टूबर",
        "नवंबर",
        "दिसंबर",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def language_of(language: str) -> str:
    return ENGLISH if language == ENGLISH else HINDI


def prompt(key: str, language: str, /, **values: object) -> str:
    return PROMPTS[key][language_of(language)].format(**values)


def status_spoken(status: str, language: str) -> str:
    phrases = STATUS_SPOKEN.get(status)
    if phrases is None:
        return status
    return phrases[language_of(language)]


def spell_digits(digits: str) -> str:
    """'3004' -> '3 0 0 4': every voice reads single digits one by one."""
    return " ".join(ch for ch in digits if ch.isdigit())


def spell_code(code: str) -> str:
    """A complaint or claim number, part by part: 'MV-261128-00042' -> 'M V, 2 6 1 1 2 8,
    0 0 0 4 2' (letters one by one, a pause at each dash)."""
    parts = [p for p in code.replace(" ", "-").split("-") if p]
    return ", ".join(" ".join(part) for part in parts)


def _clock_hi(local: datetime) -> str:
    hour = local.hour
    if 4 <= hour < 12:
        part = "सुबह"
    elif 12 <= hour < 16:
        part = "दोपहर"
    elif 16 <= hour < 19:
        part = "शाम"
    else:
        part = "रात"
    twelve = hour % 12 or 12
    time = f"{twelve}" if local.minute == 0 else f"{twelve}:{local.minute:02d}"
    return f"{part} {time} बजे"


def _clock_en(local: datetime) -> str:
    twelve = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    time = f"{twelve}" if local.minute == 0 else f"{twelve}:{local.minute:02d}"
    return f"{time} {suffix}"


def when_spoken(local: datetime, *, today: datetime, language: str) -> str:
    """A local time as said on the phone, relative to `today` (both local): 'आज शाम 6:30 बजे' /
    'by 6:30 PM today'; other days carry the date. Hindi callers add 'तक' in the sentence."""
    day = local.date()
    if language_of(language) == HINDI:
        if day == today.date():
            return f"आज {_clock_hi(local)}"
        if day == (today + timedelta(days=1)).date():
            return f"कल {_clock_hi(local)}"
        return f"{local.day} {MONTHS['hi'][local.month - 1]} को {_clock_hi(local)}"
    if day == today.date():
        return f"by {_clock_en(local)} today"
    if day == (today + timedelta(days=1)).date():
        return f"by {_clock_en(local)} tomorrow"
    return f"by {_clock_en(local)} on {local.day} {MONTHS['en'][local.month - 1]}"
