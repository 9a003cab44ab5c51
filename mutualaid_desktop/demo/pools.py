"""Word pools for the demo: names in many scripts, real Houston streets and places.

Every person is fictitious; streets, ZIP codes and public places are real so
that maps, ZIP centroids and route ordering behave as they would for a group.
"""

from __future__ import annotations

# (language spoken, share of households, given names, family names, family-first?)
NAME_GROUPS: list[tuple[str, float, list[str], list[str], bool]] = [
    (
        "Spanish",
        0.34,
        ["José", "María", "Lucía", "Andrés", "Joaquín", "Inés", "Ramón", "Sofía", "Raúl",
         "Begoña", "Íñigo", "Ángela", "Martín", "Jesús", "Guadalupe", "Verónica", "Óscar",
         "Mónica", "Héctor", "Ximena", "Tomás", "Adrián", "Leticia", "Nicolás"],
        ["García", "Hernández", "Núñez", "Peña", "Martínez", "López", "Pérez", "Gómez",
         "Díaz", "Ramírez", "Rodríguez", "Sánchez", "Jiménez", "Muñoz", "Ibáñez", "Domínguez",
         "Vásquez", "Castañeda", "Ordóñez", "Gutiérrez"],
        False,
    ),
    (
        "English",
        0.16,
        ["James", "Aaliyah", "Keisha", "Marcus", "Linda", "Darnell", "Patricia", "Sean",
         "Tamika", "Robert", "Brianna", "DeShawn", "Mary", "Jamal", "Crystal", "Terrence"],
        ["Johnson", "Williams", "Brown", "Jackson", "Washington", "Smith", "O'Brien",
         "Thompson", "Harris", "Robinson", "Walker", "Young"],
        False,
    ),
    (
        "Vietnamese",
        0.1,
        ["Văn An", "Thị Mai", "Minh Đức", "Thị Hồng", "Quốc Bảo", "Thị Lan", "Hữu Phước",
         "Thị Ngọc", "Đình Khải", "Thị Thủy"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"],
        True,
    ),
    (
        "Arabic",
        0.08,
        ["محمد", "فاطمة", "أحمد", "عائشة", "يوسف", "مريم", "عمر", "خديجة", "علي", "نور"],
        ["العلي", "حسن", "الخطيب", "منصور", "الحسيني", "عبد الله", "السيد", "حداد"],
        False,
    ),
    (
        "Hebrew",
        0.04,
        ["דוד", "שרה", "יוסף", "רחל", "משה", "לאה", "אברהם", "מרים", "יעקב", "חנה"],
        ["כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם", "פרידמן", "שפירא"],
        False,
    ),
    (
        "Russian",
        0.07,
        ["Анна", "Дмитрий", "Ольга", "Сергей", "Татьяна", "Алексей", "Наталья", "Иван",
         "Елена", "Юрий", "Жанна", "Борис"],
        ["Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Козлова",
         "Новиков", "Морозова", "Волков"],
        False,
    ),
    (
        "Chinese",
        0.07,
        ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "小明"],
        ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"],
        True,
    ),
    (
        "Somali",
        0.07,
        ["Abdi", "Amina", "Hodan", "Mohamed", "Fadumo", "Abdirahman", "Halima", "Yusuf",
         "Sahra", "Hassan"],
        ["Warsame", "Farah", "Hussein", "Abdullahi", "Osman", "Ali", "Jama", "Mohamud"],
        False,
    ),
    (
        "Haitian Creole",
        0.07,
        ["Jean-Baptiste", "Marie-Claire", "Wisly", "Nadège", "Jean-Robert", "Guerline",
         "Fritznel", "Mirlande", "Ketly", "Dieudonné"],
        ["Pierre", "St. Louis", "Joseph", "Jean-Louis", "Célestin", "Dorval", "Saint-Fleur",
         "Toussaint", "Désir"],
        False,
    ),
]

# Houston-area ZIP codes the demo households live in (centroids come from `zipcodes`).
ZIPS = [
    "77036", "77081", "77022", "77087", "77074", "77099", "77057", "77063", "77072",
    "77011", "77012", "77023", "77033", "77051", "77021", "77004", "77009", "77092",
    "77016", "77028", "77401", "77506",
]

STREETS = [
    "Westheimer Rd", "Bissonnet St", "Bellaire Blvd", "Hillcroft Ave", "Gessner Rd",
    "Fondren Rd", "Telephone Rd", "Airline Dr", "Irvington Blvd", "Harrisburg Blvd",
    "Navigation Blvd", "Lyons Ave", "Jensen Dr", "Cullen Blvd", "Scott St", "Almeda Rd",
    "Fulton St", "Little York Rd", "Tidwell Rd", "Beechnut St", "Bellfort Ave",
    "Richmond Ave", "Wilcrest Dr", "Kirby Dr", "Gulfton St", "Renwick Dr", "Chimney Rock Rd",
    "Wayside Dr", "Lockwood Dr", "Martin Luther King Blvd",
]

UNITS = ["Apt 4B", "Apt 12", "#213", "Unit 2", "Apt 7C", "#1104", "Apt 3", "Lot 18"]

DIRECTIONS = [
    "Gate code 4512#, ring twice",
    "Blue door behind the laundromat",
    "Call on arrival, doorbell broken",
    "Building C, second floor, no elevator",
    "Enter from the side street",
    "Leave with the neighbour in 2A if nobody answers",
    "Big dog in the yard: call first",
    "Cross street: Hillcroft",
    "",
    "",
    "",
]

NOTES = [
    "Prefers morning deliveries",
    "Speaks little English; a neighbour translates",
    "Do not text, call only",
    "Works nights: deliver after 2 pm",
    "Grandmother raising three grandchildren",
    "",
    "",
    "",
]

ACCESSIBILITY = ["", "", "", "", "Wheelchair user", "Uses a walker", "Hard of hearing", "Low vision"]

ALLERGIES = ["", "", "", "", "", "peanuts", "shellfish", "eggs", "tree nuts", "milk"]

# Public places rides go to: (name and address, lat, lon).
DESTINATIONS = [
    ("Ben Taub Hospital, 1504 Taub Loop, Houston TX 77030", 29.7107, -95.3929),
    ("LBJ Hospital, 5656 Kelley St, Houston TX 77026", 29.8116, -95.3185),
    ("Gulfgate Health Center, 7550 Office City Dr, Houston TX 77012", 29.6964, -95.2885),
    ("Harris Health Vallbona Health Center, 6630 DeMoss Dr, Houston TX 77074", 29.7055, -95.5023),
    ("Harris County Civil Courthouse, 201 Caroline St, Houston TX 77002", 29.7594, -95.3621),
    ("MD Anderson Cancer Center, 1515 Holcombe Blvd, Houston TX 77030", 29.7075, -95.3971),
    ("Houston Food Bank, 535 Portwall St, Houston TX 77029", 29.7443, -95.2800),
    ("Social Security Office, 1919 Smith St, Houston TX 77002", 29.7525, -95.3727),
    ("Legacy Community Health, 1415 California St, Houston TX 77006", 29.7478, -95.3975),
]

DEPOT = {
    "street": "6500 Bellaire Blvd",
    "city": "Houston",
    "region": "TX",
    "postal_code": "77074",
    "lat": 29.7058,
    "lon": -95.4994,
}

NEED_TEXT = {
    "groceries": ["Weekly groceries", "Rice, beans, cooking oil", "Fresh produce if possible"],
    "hot_meals": ["Hot meals after surgery", "Meals for two weeks", "Soft foods please"],
    "baby_supplies": ["Diapers size 4", "Baby formula (Similac)", "Wipes and diapers size 2"],
    "hygiene": ["Soap, toothpaste, pads", "Hygiene kit for 4", "Shampoo and razors"],
    "medication_pickup": ["Prescription at Walgreens on Bellaire", "Insulin pickup", "CVS pickup"],
    "ride": ["Ride to dialysis", "Ride to clinic appointment", "Ride to court date"],
    "household_goods": ["Box fan", "Pots and pans", "Twin mattress", "Winter blankets"],
    "cash_rent": ["Help with rent this month", "Electric bill past due", "Water bill"],
    "other": ["Help filling out a form", "Phone minutes", "School supplies"],
}

BOX_TYPES = [
    ("Standard", [], "The usual weekly groceries"),
    ("Vegetarian", ["vegetarian", "vegan"], "No meat or fish"),
    ("Halal", ["halal", "no_pork"], "Halal protein, no pork"),
    ("Gluten-free", ["gluten_free"], "No wheat, barley or rye"),
    ("Diabetic-friendly", ["diabetic", "low_sodium"], "Low sugar, low sodium"),
    ("Baby", ["baby_formula"], "Formula, diapers and baby food"),
]

# item name, unit, category
ITEMS = [
    ("Rice", "2 lb bag", "pantry"),
    ("Pinto beans", "1 lb bag", "pantry"),
    ("Black beans", "can", "pantry"),
    ("Cooking oil", "bottle", "pantry"),
    ("Pasta", "1 lb box", "pantry"),
    ("Gluten-free pasta", "12 oz box", "pantry"),
    ("Canned tomatoes", "can", "pantry"),
    ("Peanut butter", "jar", "pantry"),
    ("Canned chicken", "can", "protein"),
    ("Halal chicken", "2 lb pack", "protein"),
    ("Eggs", "dozen", "protein"),
    ("Tofu", "block", "protein"),
    ("Milk", "half gallon", "dairy"),
    ("Apples", "3 lb bag", "produce"),
    ("Potatoes", "5 lb bag", "produce"),
    ("Onions", "3 lb bag", "produce"),
    ("Leafy greens", "bunch", "produce"),
    ("Oatmeal (no sugar added)", "canister", "pantry"),
    ("Baby formula", "can", "baby"),
    ("Diapers", "pack", "baby"),
    ("Baby food", "jar", "baby"),
    ("Wipes", "pack", "baby"),
]

# box type -> [(item, qty_base, qty_per_person)]
BOX_CONTENTS: dict[str, list[tuple[str, float, float]]] = {
    "Standard": [
        ("Rice", 1, 0.5), ("Pinto beans", 1, 0.5), ("Cooking oil", 1, 0),
        ("Canned chicken", 2, 1), ("Eggs", 1, 0.25), ("Milk", 1, 0.5),
        ("Apples", 1, 0.25), ("Potatoes", 1, 0.25), ("Canned tomatoes", 2, 0.5),
    ],
    "Vegetarian": [
        ("Rice", 1, 0.5), ("Black beans", 2, 1), ("Tofu", 1, 0.5), ("Pasta", 1, 0.5),
        ("Peanut butter", 1, 0), ("Apples", 1, 0.25), ("Leafy greens", 1, 0.5),
        ("Onions", 1, 0),
    ],
    "Halal": [
        ("Rice", 1, 0.5), ("Halal chicken", 1, 0.5), ("Pinto beans", 1, 0.5),
        ("Cooking oil", 1, 0), ("Onions", 1, 0.25), ("Apples", 1, 0.25), ("Milk", 1, 0.5),
    ],
    "Gluten-free": [
        ("Rice", 1, 0.5), ("Gluten-free pasta", 1, 0.5), ("Black beans", 2, 0.5),
        ("Eggs", 1, 0.25), ("Potatoes", 1, 0.25), ("Apples", 1, 0.25),
    ],
    "Diabetic-friendly": [
        ("Oatmeal (no sugar added)", 1, 0), ("Black beans", 2, 0.5), ("Eggs", 1, 0.25),
        ("Leafy greens", 1, 0.5), ("Canned chicken", 1, 0.5), ("Apples", 1, 0.25),
    ],
    "Baby": [
        ("Baby formula", 2, 0), ("Diapers", 2, 0), ("Baby food", 6, 0), ("Wipes", 1, 0),
        ("Rice", 1, 0.5), ("Milk", 1, 0.5),
    ],
}
