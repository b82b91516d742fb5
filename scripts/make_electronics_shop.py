"""Generate the electronics shop: a consumer-electronics store, the fourth shop of the project.

    python scripts/make_electronics_shop.py --out data/electronics_shop --seed 31

Why a fourth shop: the assistant was built on the demo shop and checked on appliances and
clothing; this one is a domain nobody tuned it on, consumer electronics (headphones, earbuds,
speakers, chargers, power banks, cables, phone cases, keyboards, mice, monitors, webcams,
smartwatches, Wi-Fi routers, memory cards and portable SSDs), where questions are about
battery life, compatibility, ports, what is in the box, and returns of opened items. Its
attribute names are its own (``battery_hours``, ``battery_days``, ``charge_time_min``,
``capacity_mah``, ``output_w``, ``anc``, ``ip_rating``, ``driver_mm``, ``screen_in``,
``refresh_hz``, ``panel``, ``storage_gb`` / ``storage_tb``, ``read_mb_s``, ``ports``,
``connector``, ``compatible_with``, ``weight_g`` / ``weight_oz``, ``cable_ft``, ``wireless``,
``switch_type``, ``dpi``, ``wifi_standard``, ``warranty_years``...).

Design decisions:

- Deterministic: one ``random.Random(seed)`` draws stock, review counts, ratings and tracking
  numbers in a fixed order, and JSON is written with a fixed key order, so the same seed gives
  byte-identical files.
- The catalogue is written by hand (titles, prices, attributes, descriptions), not generated
  from templates, so the evaluation cases have known pairs (two 27-inch monitors at $249.99,
  two 10,000 mAh power banks at $29.99, two earbuds with 10 hours of battery, two mesh Wi-Fi
  systems), and titles with numbers and abbreviations ("Volt 65W GaN Charger", "K87 TKL",
  "Pro microSD 256GB", "AX3000").
- Some facts live only in the description (a carrying case sold separately, no cable in the
  box, a Lightning cable that does not fit an iPhone 15 without an adapter, auto-off after 20
  minutes, an SD adapter included or not, hot-swappable switches, no modem built in, what a
  watch can do with an iPhone, airline carry-on rules of a power bank), and some are
  deliberately absent (speakers of a monitor, a microphone of a speaker, a webcam on a TV).
- Weights are in grams for what you carry on you (headphones, earbuds, power banks, mice,
  SSDs) and in ounces for speakers; battery life in hours, but in days for smartwatches.
- Orders name products by title, so each customer's history makes sense (a cancelled order of
  a sold-out monitor, a parcel on its way to the UK).
- Policies are written here, with figures that differ from the other shops: a 30-day return
  window with a 15% restocking fee on opened items, products that cannot be returned once
  opened, a price-match policy, power banks that ship by ground within the US only, Klarna.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = "Electronics"
TODAY = "2026-11-25"


def _p(
    leaf: str,
    title: str,
    brand: str,
    price: float,
    attrs: dict,
    description: str,
    tags: list[str],
    *,
    stock: int | None = None,
    reviews: int | None = None,
) -> dict:
    """One catalogue entry; ``stock`` / ``reviews`` fix what is otherwise drawn from the seed."""
    return {
        "leaf": leaf,
        "title": title,
        "brand": brand,
        "price": float(price),
        "attrs": attrs,
        "description": description,
        "tags": tags,
        "stock": stock,
        "reviews": reviews,
    }


# ---------------------------------------------------------------- the catalogue

HEADPHONES = "Audio > Headphones"
EARBUDS = "Audio > Earbuds"
SPEAKERS = "Audio > Bluetooth Speakers"
CHARGERS = "Power > Chargers"
POWER_BANKS = "Power > Power Banks"
CABLES = "Power > Cables"
CASES = "Phone Accessories > Phone Cases"
KEYBOARDS = "Computer Accessories > Keyboards"
MICE = "Computer Accessories > Mice"
MONITORS = "Computer Accessories > Monitors"
WEBCAMS = "Computer Accessories > Webcams"
WATCHES = "Wearables > Smartwatches"
ROUTERS = "Networking > Wi-Fi Routers"
MEMORY_CARDS = "Storage > Memory Cards"
SSDS = "Storage > Portable SSDs"

BOTH_OS = ["Android", "iPhone"]

CATALOGUE = [
    # ------------------------------------------------------------ headphones
    _p(
        HEADPHONES,
        "Hush 700 ANC Headphones",
        "Auralis",
        199.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.3",
            "driver_mm": 40,
            "battery_hours": 30,
            "charge_time_min": 180,
            "weight_g": 254,
            "foldable": True,
            "connector": "USB-C",
            "colors": ["black", "silver"],
            "warranty_years": 2,
        },
        "Over-ear headphones with adaptive noise cancelling and a 3.5 mm cable for in-flight "
        "entertainment. Includes a hard carrying case. A 10-minute charge gives 3 hours of play.",
        ["headphones", "over-ear", "noise cancelling", "travel"],
    ),
    _p(
        HEADPHONES,
        "Hush 500 ANC Headphones",
        "Auralis",
        149.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.3",
            "driver_mm": 40,
            "battery_hours": 40,
            "charge_time_min": 120,
            "weight_g": 248,
            "foldable": True,
            "connector": "USB-C",
            "colors": ["black", "sand", "navy"],
            "warranty_years": 1,
        },
        "The lighter sibling of the Hush 700, with the same noise cancelling and a longer battery. "
        "The carrying case is sold separately. Connects to two devices at once, so calls can "
        "come in from your phone while you listen on your laptop.",
        ["headphones", "over-ear", "noise cancelling", "commute"],
    ),
    _p(
        HEADPHONES,
        "Drift Over-Ear Headphones",
        "Tidewave",
        129.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.2",
            "driver_mm": 40,
            "battery_hours": 35,
            "charge_time_min": 150,
            "weight_g": 265,
            "foldable": False,
            "connector": "USB-C",
            "colors": ["black", "white"],
            "warranty_years": 1,
        },
        "Noise-cancelling headphones with memory-foam ear cushions that can be replaced. "
        "Includes a soft carrying pouch.",
        ["headphones", "over-ear", "noise cancelling"],
    ),
    _p(
        HEADPHONES,
        "MX-50 Studio Monitor Headphones",
        "Auralis",
        89.99,
        {
            "wireless": False,
            "anc": False,
            "driver_mm": 50,
            "weight_g": 285,
            "cable_ft": 9.8,
            "connector": "3.5 mm",
            "foldable": True,
            "colors": ["black"],
            "warranty_years": 2,
        },
        "Closed-back wired headphones for mixing and recording, with a detachable coiled cable. "
        "Includes a 6.35 mm adapter and a carrying pouch. There is no microphone.",
        ["headphones", "studio", "wired", "over-ear"],
    ),
    _p(
        HEADPHONES,
        "Arc Wired Gaming Headset",
        "Kestrel",
        79.99,
        {
            "wireless": False,
            "anc": False,
            "driver_mm": 50,
            "weight_g": 320,
            "connector": "USB-A",
            "cable_ft": 6.5,
            "compatible_with": ["PC", "PS5"],
            "colors": ["black"],
            "warranty_years": 1,
        },
        "A USB gaming headset with a flip-to-mute boom microphone and 7.1 virtual surround on PC. "
        "Not compatible with Xbox consoles.",
        ["headset", "gaming", "wired", "microphone"],
    ),
    _p(
        HEADPHONES,
        "Drift Mini On-Ear Headphones",
        "Tidewave",
        59.99,
        {
            "wireless": True,
            "anc": False,
            "bluetooth": "5.3",
            "driver_mm": 32,
            "battery_hours": 50,
            "charge_time_min": 120,
            "weight_g": 180,
            "foldable": True,
            "connector": "USB-C",
            "colors": ["black", "mint", "lilac"],
            "warranty_years": 1,
        },
        "Light on-ear headphones that fold flat into a backpack pocket. A volume limit of 85 dB "
        "can be switched on for children.",
        ["headphones", "on-ear", "kids", "budget"],
        stock=0,
    ),
    _p(
        HEADPHONES,
        "Hush 900 Pro ANC Headphones",
        "Auralis",
        349.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.4",
            "driver_mm": 40,
            "battery_hours": 30,
            "charge_time_min": 90,
            "weight_g": 250,
            "foldable": True,
            "connector": "USB-C",
            "colors": ["black", "cream"],
            "warranty_years": 2,
        },
        "Our quietest headphones, with eight microphones for noise cancelling and calls. "
        "Includes a hard carrying case and a USB-C to 3.5 mm audio cable.",
        ["headphones", "over-ear", "noise cancelling", "premium"],
    ),
    # ------------------------------------------------------------ earbuds
    _p(
        EARBUDS,
        "Pod Air ANC Earbuds",
        "Auralis",
        129.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.3",
            "battery_hours": 8,
            "case_battery_hours": 32,
            "charge_time_min": 60,
            "wireless_charging": True,
            "ip_rating": "IPX4",
            "weight_g": 5.2,
            "colors": ["black", "white"],
            "warranty_years": 1,
        },
        "True wireless earbuds with noise cancelling and a transparency mode. Comes with "
        "silicone ear tips in three sizes. The case charges on any Qi wireless pad.",
        ["earbuds", "true wireless", "noise cancelling"],
    ),
    _p(
        EARBUDS,
        "Pod Sport Earbuds",
        "Auralis",
        89.99,
        {
            "wireless": True,
            "anc": False,
            "bluetooth": "5.3",
            "battery_hours": 10,
            "case_battery_hours": 30,
            "charge_time_min": 90,
            "wireless_charging": False,
            "ip_rating": "IPX7",
            "weight_g": 7.1,
            "colors": ["black", "volt green"],
            "warranty_years": 1,
        },
        "Earbuds with flexible ear hooks that stay put on runs and in the gym. Sweat- and "
        "rinse-proof. Comes with ear tips in three sizes.",
        ["earbuds", "sport", "running", "true wireless"],
    ),
    _p(
        EARBUDS,
        "Wave Buds 2",
        "Tidewave",
        59.99,
        {
            "wireless": True,
            "anc": False,
            "bluetooth": "5.3",
            "battery_hours": 10,
            "case_battery_hours": 40,
            "charge_time_min": 90,
            "wireless_charging": False,
            "ip_rating": "IPX5",
            "weight_g": 4.8,
            "colors": ["black", "white", "blue"],
            "warranty_years": 1,
        },
        "Everyday earbuds with a pocket-size case. The only ear tips in the box are the medium "
        "ones already fitted. The EQ app is for Android only; on an iPhone they work as plain "
        "Bluetooth earbuds.",
        ["earbuds", "true wireless", "budget"],
    ),
    _p(
        EARBUDS,
        "Wave Buds Pro",
        "Tidewave",
        99.99,
        {
            "wireless": True,
            "anc": True,
            "bluetooth": "5.3",
            "battery_hours": 7,
            "case_battery_hours": 28,
            "charge_time_min": 75,
            "wireless_charging": True,
            "ip_rating": "IPX4",
            "weight_g": 5.0,
            "colors": ["black", "white"],
            "warranty_years": 1,
        },
        "Noise-cancelling earbuds with a low-latency gaming mode. Comes with ear tips in three "
        "sizes and works with the Tidewave app on Android and iPhone.",
        ["earbuds", "true wireless", "noise cancelling"],
    ),
    _p(
        EARBUDS,
        "Sleep Buds",
        "Orbix",
        149.99,
        {
            "wireless": True,
            "anc": False,
            "bluetooth": "5.2",
            "battery_hours": 9,
            "case_battery_hours": 27,
            "charge_time_min": 60,
            "wireless_charging": False,
            "weight_g": 2.9,
            "colors": ["white"],
            "warranty_years": 1,
        },
        "Tiny, flat earbuds made for side sleepers, with soft foam tips that block noise without "
        "active cancelling. They play stored sleep sounds and cannot stream music or podcasts "
        "from your phone.",
        ["earbuds", "sleep", "true wireless"],
    ),
    _p(
        EARBUDS,
        "Lite Earbuds",
        "Voltbridge",
        24.99,
        {
            "wireless": True,
            "anc": False,
            "bluetooth": "5.1",
            "battery_hours": 5,
            "case_battery_hours": 20,
            "charge_time_min": 120,
            "wireless_charging": False,
            "ip_rating": "IPX4",
            "colors": ["black"],
            "warranty_years": 1,
        },
        "Simple true wireless earbuds for calls and podcasts. Charges with a USB-C cable, included.",
        ["earbuds", "true wireless", "budget"],
        reviews=0,
    ),
    # ------------------------------------------------------------ bluetooth speakers
    _p(
        SPEAKERS,
        "Boom Mini Speaker",
        "Tidewave",
        39.99,
        {
            "battery_hours": 12,
            "output_w": 5,
            "ip_rating": "IPX7",
            "bluetooth": "5.3",
            "weight_oz": 8.5,
            "colors": ["black", "coral", "teal"],
            "warranty_years": 1,
        },
        "A palm-size speaker with a clip strap that floats in water. To save battery it turns "
        "itself off after 20 minutes without audio.",
        ["speaker", "bluetooth speaker", "waterproof", "outdoor"],
    ),
    _p(
        SPEAKERS,
        "Boom Go Speaker",
        "Tidewave",
        79.99,
        {
            "battery_hours": 16,
            "output_w": 20,
            "ip_rating": "IPX7",
            "bluetooth": "5.3",
            "weight_oz": 19.8,
            "colors": ["black", "teal"],
            "microphone": True,
            "warranty_years": 1,
        },
        "A water bottle-size speaker with a built-in speakerphone. Pair two Boom Go speakers "
        "for left and right stereo.",
        ["speaker", "bluetooth speaker", "waterproof", "outdoor"],
    ),
    _p(
        SPEAKERS,
        "Boom Max Speaker",
        "Tidewave",
        149.99,
        {
            "battery_hours": 20,
            "output_w": 40,
            "ip_rating": "IP67",
            "bluetooth": "5.3",
            "weight_oz": 46.5,
            "colors": ["black"],
            "warranty_years": 2,
        },
        "A big-sound speaker with a carry handle and a USB-C port that charges your phone. "
        "Dust-tight and waterproof, so it can sit in the sand at the beach.",
        ["speaker", "bluetooth speaker", "waterproof", "party"],
    ),
    _p(
        SPEAKERS,
        "Cube Home Speaker",
        "Auralis",
        59.99,
        {
            "battery_hours": 10,
            "output_w": 10,
            "ip_rating": "IPX4",
            "bluetooth": "5.2",
            "weight_oz": 14.1,
            "colors": ["charcoal", "stone"],
            "warranty_years": 2,
        },
        "A fabric-covered cube for the kitchen or bedside table. It charges on the included "
        "dock; there is no battery indicator on the speaker itself.",
        ["speaker", "bluetooth speaker", "home"],
    ),
    _p(
        SPEAKERS,
        "Party Tower 200",
        "Auralis",
        249.99,
        {
            "battery_hours": 15,
            "output_w": 120,
            "bluetooth": "5.3",
            "colors": ["black"],
            "microphone_input": True,
            "warranty_years": 2,
        },
        "A tall party speaker on wheels with light effects and a guitar and microphone input. "
        "The microphone is sold separately.",
        ["speaker", "party speaker", "karaoke"],
        stock=0,
    ),
    _p(
        SPEAKERS,
        "Shower Pebble Speaker",
        "Voltbridge",
        29.99,
        {
            "battery_hours": 8,
            "output_w": 3,
            "ip_rating": "IPX7",
            "bluetooth": "5.0",
            "weight_oz": 6.2,
            "colors": ["white", "grey"],
            "warranty_years": 1,
        },
        "A small speaker with a suction cup for the shower wall. Buttons on the front skip "
        "tracks and answer calls.",
        ["speaker", "shower speaker", "waterproof"],
        reviews=0,
    ),
    # ------------------------------------------------------------ chargers
    _p(
        CHARGERS,
        "Volt 65W GaN Charger",
        "Voltbridge",
        44.99,
        {
            "output_w": 65,
            "ports": ["USB-C", "USB-C", "USB-A"],
            "gan": True,
            "foldable_plug": True,
            "warranty_years": 2,
        },
        "A three-port wall charger that can charge a 13-inch laptop at full speed. When two "
        "devices charge at once the 65 W is shared between them. No cable in the box.",
        ["charger", "wall charger", "laptop", "fast charging"],
    ),
    _p(
        CHARGERS,
        "Volt 30W Compact Charger",
        "Voltbridge",
        24.99,
        {
            "output_w": 30,
            "ports": ["USB-C"],
            "gan": True,
            "foldable_plug": False,
            "warranty_years": 2,
        },
        "A single-port charger about the size of a matchbox that fast-charges phones and tablets. "
        "Includes a 3 ft USB-C to USB-C cable.",
        ["charger", "wall charger", "fast charging"],
    ),
    _p(
        CHARGERS,
        "Volt 100W 4-Port Desktop Charger",
        "Voltbridge",
        69.99,
        {
            "output_w": 100,
            "ports": ["USB-C", "USB-C", "USB-C", "USB-A"],
            "gan": True,
            "foldable_plug": False,
            "warranty_years": 2,
        },
        "A desktop charging brick with a 5 ft power cord, for a laptop, a phone and two more "
        "devices at once. One USB-C port gives the full 100 W when used alone.",
        ["charger", "desktop charger", "laptop"],
    ),
    _p(
        CHARGERS,
        "20W USB-C Wall Charger",
        "NexaLink",
        14.99,
        {
            "output_w": 20,
            "ports": ["USB-C"],
            "gan": False,
            "foldable_plug": False,
            "warranty_years": 1,
        },
        "A basic fast charger for phones. No cable in the box.",
        ["charger", "wall charger", "budget"],
    ),
    _p(
        CHARGERS,
        "MagPad 15W Wireless Charger",
        "Voltbridge",
        34.99,
        {
            "output_w": 15,
            "wireless": True,
            "ports": ["USB-C"],
            "warranty_years": 1,
        },
        "A magnetic wireless charging pad for MagSafe iPhones and Qi2 phones. Comes with a 3 ft "
        "cable, but the power adapter is not included: use a 20 W or stronger USB-C adapter.",
        ["charger", "wireless charger", "magsafe"],
    ),
    _p(
        CHARGERS,
        "3-in-1 Wireless Charging Stand",
        "Orbix",
        79.99,
        {
            "output_w": 15,
            "wireless": True,
            "ports": ["USB-C"],
            "warranty_years": 1,
        },
        "Charges a phone, a smartwatch and earbuds at the same time on your nightstand. "
        "Includes a 36 W power adapter and a 5 ft cable. The watch puck fits Orbix watches only.",
        ["charger", "wireless charger", "charging stand"],
    ),
    # ------------------------------------------------------------ power banks
    _p(
        POWER_BANKS,
        "Volt 10K Slim Power Bank",
        "Voltbridge",
        29.99,
        {
            "capacity_mah": 10000,
            "output_w": 20,
            "ports": ["USB-C", "USB-A"],
            "weight_g": 190,
            "charge_time_min": 180,
            "wireless": False,
            "warranty_years": 1,
        },
        "A slim power bank that charges most phones about twice. Includes a 1 ft USB-C cable.",
        ["power bank", "portable charger", "travel"],
    ),
    _p(
        POWER_BANKS,
        "Volt 10K MagGo Power Bank",
        "Voltbridge",
        49.99,
        {
            "capacity_mah": 10000,
            "output_w": 20,
            "ports": ["USB-C"],
            "weight_g": 230,
            "charge_time_min": 150,
            "wireless": True,
            "warranty_years": 1,
        },
        "Snaps magnetically onto the back of a MagSafe iPhone and charges it wirelessly at 15 W. "
        "A fold-out kickstand holds the phone upright for video.",
        ["power bank", "wireless", "magsafe"],
    ),
    _p(
        POWER_BANKS,
        "PowerCell 10000 with Built-in Cable",
        "NexaLink",
        29.99,
        {
            "capacity_mah": 10000,
            "output_w": 22.5,
            "ports": ["USB-C", "USB-A"],
            "weight_g": 215,
            "charge_time_min": 210,
            "wireless": False,
            "warranty_years": 1,
        },
        "A power bank with a USB-C cable built into its side, so there is nothing to forget. "
        "The digital display shows the charge left in percent.",
        ["power bank", "portable charger"],
    ),
    _p(
        POWER_BANKS,
        "Volt 20K Power Bank",
        "Voltbridge",
        49.99,
        {
            "capacity_mah": 20000,
            "output_w": 30,
            "ports": ["USB-C", "USB-C", "USB-A"],
            "weight_g": 360,
            "charge_time_min": 240,
            "wireless": False,
            "warranty_years": 2,
        },
        "Charges a phone four to five times or tops up a tablet. At 74 Wh it is allowed in "
        "carry-on bags on flights, under the 100 Wh limit, but never in checked luggage.",
        ["power bank", "portable charger", "travel"],
    ),
    _p(
        POWER_BANKS,
        "Volt 26K Laptop Power Bank",
        "Voltbridge",
        99.99,
        {
            "capacity_mah": 26800,
            "output_w": 100,
            "ports": ["USB-C", "USB-C", "USB-A"],
            "weight_g": 580,
            "charge_time_min": 150,
            "wireless": False,
            "warranty_years": 2,
        },
        "Enough power to charge a 13-inch laptop about once and a half. Comes with a travel "
        "pouch and a 2 ft 100 W USB-C cable.",
        ["power bank", "laptop", "travel"],
    ),
    _p(
        POWER_BANKS,
        "PowerCell 5000 Mini",
        "NexaLink",
        19.99,
        {
            "capacity_mah": 5000,
            "output_w": 12,
            "ports": ["USB-C"],
            "weight_g": 110,
            "charge_time_min": 120,
            "wireless": False,
            "warranty_years": 1,
        },
        "A lipstick-size power bank for one phone charge on a night out. Includes a short USB-C cable.",
        ["power bank", "portable charger", "mini"],
        stock=0,
    ),
    # ------------------------------------------------------------ cables
    _p(
        CABLES,
        "USB-C to Lightning Cable, 3 ft",
        "NexaLink",
        19.99,
        {
            "connector": "USB-C to Lightning",
            "cable_ft": 3,
            "output_w": 20,
            "braided": True,
            "warranty_years": 1,
        },
        "A braided fast-charging cable for iPhones with a Lightning port, up to the iPhone 14. "
        "Not compatible with the iPhone 15 or later, which have a USB-C port, without an adapter.",
        ["cable", "lightning", "iphone"],
    ),
    _p(
        CABLES,
        "USB-C to USB-C Cable 100W, 6 ft",
        "NexaLink",
        16.99,
        {
            "connector": "USB-C to USB-C",
            "cable_ft": 6,
            "output_w": 100,
            "braided": True,
            "data_speed": "480 Mb/s",
            "warranty_years": 1,
        },
        "A braided cable long enough to reach from the wall to the sofa, rated for 100 W laptop "
        "charging. Data runs at USB 2.0 speed, so it is not meant for external monitors.",
        ["cable", "usb-c", "laptop"],
    ),
    _p(
        CABLES,
        "USB-C to USB-C Cable 60W, 3 ft",
        "NexaLink",
        9.99,
        {
            "connector": "USB-C to USB-C",
            "cable_ft": 3,
            "output_w": 60,
            "braided": False,
            "data_speed": "480 Mb/s",
            "warranty_years": 1,
        },
        "A plain rubber-coated cable for phones, tablets and small laptops. Also charges an "
        "iPhone 15 or later.",
        ["cable", "usb-c", "budget"],
    ),
    _p(
        CABLES,
        "USB-C to USB-C Cable 240W, 10 ft",
        "Voltbridge",
        24.99,
        {
            "connector": "USB-C to USB-C",
            "cable_ft": 10,
            "output_w": 240,
            "braided": True,
            "data_speed": "480 Mb/s",
            "warranty_years": 2,
        },
        "A long braided cable rated for 240 W, enough for gaming laptops that charge over USB-C. "
        "Comes with a hook-and-loop strap for tidy storage.",
        ["cable", "usb-c", "laptop", "long"],
    ),
    _p(
        CABLES,
        "USB-A to USB-C Cable, 2-Pack, 6 ft",
        "Voltbridge",
        14.99,
        {
            "connector": "USB-A to USB-C",
            "cable_ft": 6,
            "output_w": 15,
            "braided": True,
            "data_speed": "480 Mb/s",
            "warranty_years": 1,
        },
        "Two braided cables for charging USB-C phones and controllers from older USB-A chargers "
        "and computers. Not for fast charging.",
        ["cable", "usb-c", "usb-a", "multipack"],
    ),
    _p(
        CABLES,
        "HDMI 2.1 Cable, 6 ft",
        "NexaLink",
        18.99,
        {
            "connector": "HDMI to HDMI",
            "cable_ft": 6,
            "data_speed": "48 Gb/s",
            "braided": False,
            "warranty_years": 1,
        },
        "Carries 4K at 120 Hz and 8K at 60 Hz for game consoles, TVs and monitors. Certified "
        "Ultra High Speed.",
        ["cable", "hdmi", "gaming"],
    ),
    # ------------------------------------------------------------ phone cases
    _p(
        CASES,
        "Armor MagSafe Case for iPhone 16 Pro",
        "Shellguard",
        39.99,
        {
            "compatible_with": ["iPhone 16 Pro"],
            "magsafe": True,
            "drop_ft": 12,
            "material": "polycarbonate and TPU",
            "colors": ["black", "olive", "clear"],
            "warranty_years": 1,
        },
        "A rugged case with raised edges around the screen and camera. Built-in magnets hold "
        "MagSafe chargers and wallets. Includes a screen protector.",
        ["phone case", "iphone", "magsafe", "rugged"],
    ),
    _p(
        CASES,
        "Clear MagSafe Case for iPhone 16 Pro",
        "Shellguard",
        29.99,
        {
            "compatible_with": ["iPhone 16 Pro"],
            "magsafe": True,
            "drop_ft": 6,
            "material": "TPU",
            "colors": ["clear"],
            "warranty_years": 1,
        },
        "A thin clear case with a magnet ring that shows off the phone's colour. An "
        "anti-yellowing coating keeps it clear for longer.",
        ["phone case", "iphone", "magsafe", "clear"],
    ),
    _p(
        CASES,
        "Slim Case for iPhone 16 Pro",
        "Shellguard",
        19.99,
        {
            "compatible_with": ["iPhone 16 Pro"],
            "magsafe": False,
            "drop_ft": 4,
            "material": "silicone",
            "colors": ["black", "pink", "sage"],
            "warranty_years": 1,
        },
        "A soft-touch silicone case with a microfibre lining. Wireless chargers work through it, "
        "but it has no magnets.",
        ["phone case", "iphone", "slim"],
    ),
    _p(
        CASES,
        "Armor Case for Galaxy S25",
        "Shellguard",
        34.99,
        {
            "compatible_with": ["Galaxy S25"],
            "magsafe": False,
            "drop_ft": 12,
            "material": "polycarbonate and TPU",
            "colors": ["black", "blue"],
            "warranty_years": 1,
        },
        "A rugged case for the Samsung Galaxy S25 with a built-in kickstand. Does not fit the "
        "S25+ or S25 Ultra.",
        ["phone case", "samsung", "android", "rugged"],
    ),
    _p(
        CASES,
        "Wallet Folio Case for iPhone 16",
        "Orbix",
        44.99,
        {
            "compatible_with": ["iPhone 16"],
            "magsafe": False,
            "drop_ft": 4,
            "material": "vegan leather",
            "colors": ["tan", "black"],
            "warranty_years": 1,
        },
        "A book-style case with three card slots and a cash pocket. Does not fit the iPhone 16 Pro.",
        ["phone case", "iphone", "wallet"],
    ),
    # ------------------------------------------------------------ keyboards
    _p(
        KEYBOARDS,
        "K75 Wireless Mechanical Keyboard",
        "Kestrel",
        109.99,
        {
            "switch_type": "brown (tactile)",
            "wireless": True,
            "layout": "75%",
            "backlit": True,
            "battery_hours": 200,
            "compatible_with": ["Windows", "macOS"],
            "warranty_years": 2,
        },
        "A compact 75% keyboard that connects over Bluetooth or a USB receiver and switches "
        "between three devices. Hot-swappable switches. The battery figure is with the backlight "
        "off.",
        ["keyboard", "mechanical keyboard", "wireless"],
    ),
    _p(
        KEYBOARDS,
        "K87 TKL Wired Mechanical Keyboard",
        "Kestrel",
        79.99,
        {
            "switch_type": "silent red (linear)",
            "wireless": False,
            "layout": "tenkeyless",
            "backlit": True,
            "connector": "USB-C",
            "compatible_with": ["Windows", "macOS", "Linux"],
            "warranty_years": 2,
        },
        "A tenkeyless keyboard with dampened linear switches for a quiet office. Hot-swappable "
        "switches: pull any switch and press in another without soldering. Detachable 6 ft "
        "USB-C cable.",
        ["keyboard", "mechanical keyboard", "wired", "quiet"],
    ),
    _p(
        KEYBOARDS,
        "K104 Full-Size Wired Mechanical Keyboard",
        "Kestrel",
        89.99,
        {
            "switch_type": "blue (clicky)",
            "wireless": False,
            "layout": "full-size",
            "backlit": True,
            "connector": "USB-A",
            "compatible_with": ["Windows"],
            "warranty_years": 2,
        },
        "A full-size keyboard with a number pad, media keys and clicky switches. The switches "
        "are soldered in, so they cannot be swapped.",
        ["keyboard", "mechanical keyboard", "wired", "gaming"],
    ),
    _p(
        KEYBOARDS,
        "Slim Wireless Keyboard",
        "Kestrel",
        49.99,
        {
            "switch_type": "scissor",
            "wireless": True,
            "layout": "full-size",
            "backlit": False,
            "battery": "2 AAA",
            "compatible_with": ["Windows", "macOS", "iPadOS", "Android"],
            "warranty_years": 1,
        },
        "A quiet, low-profile keyboard with a number pad that pairs with up to three devices over "
        "Bluetooth. The AAA batteries are included.",
        ["keyboard", "wireless", "office"],
    ),
    _p(
        KEYBOARDS,
        "Travel Fold Keyboard",
        "NexaLink",
        39.99,
        {
            "switch_type": "scissor",
            "wireless": True,
            "layout": "compact",
            "backlit": False,
            "battery_hours": 60,
            "compatible_with": ["Windows", "macOS", "iPadOS", "Android"],
            "warranty_years": 1,
        },
        "A keyboard that folds in half to the size of a phone. Recharges over USB-C.",
        ["keyboard", "wireless", "travel"],
        stock=0,
    ),
    # ------------------------------------------------------------ mice
    _p(
        MICE,
        "M1 Ergo Vertical Mouse",
        "Kestrel",
        59.99,
        {
            "dpi": 4000,
            "wireless": True,
            "hand": "right",
            "buttons": 6,
            "weight_g": 125,
            "battery_hours": 70,
            "warranty_years": 2,
        },
        "A vertical mouse that keeps your wrist in a handshake position. Recharges over USB-C. "
        "There is no left-handed version.",
        ["mouse", "ergonomic", "wireless"],
    ),
    _p(
        MICE,
        "M2 Ambi Wireless Mouse",
        "Kestrel",
        39.99,
        {
            "dpi": 4000,
            "wireless": True,
            "hand": "ambidextrous",
            "buttons": 7,
            "weight_g": 85,
            "battery": "1 AA",
            "warranty_years": 2,
        },
        "A symmetrical mouse with side buttons on both sides, for left or right hands. The AA "
        "battery is included and lasts about a year.",
        ["mouse", "wireless", "ambidextrous", "left-handed"],
    ),
    _p(
        MICE,
        "M3 Pro Gaming Mouse",
        "Kestrel",
        79.99,
        {
            "dpi": 26000,
            "wireless": True,
            "hand": "right",
            "buttons": 5,
            "weight_g": 63,
            "battery_hours": 90,
            "warranty_years": 2,
        },
        "An ultralight wireless gaming mouse with a 2.4 GHz receiver. The receiver stores inside the mouse.",
        ["mouse", "gaming", "wireless"],
    ),
    _p(
        MICE,
        "Lefty Wireless Mouse",
        "Orbix",
        29.99,
        {
            "dpi": 1600,
            "wireless": True,
            "hand": "left",
            "buttons": 5,
            "weight_g": 95,
            "battery": "1 AA",
            "warranty_years": 1,
        },
        "A contoured mouse shaped for the left hand, with thumb buttons on the right side. "
        "Uses a USB-A receiver.",
        ["mouse", "wireless", "left-handed"],
    ),
    _p(
        MICE,
        "Basic Wired Mouse",
        "NexaLink",
        12.99,
        {
            "dpi": 1200,
            "wireless": False,
            "hand": "ambidextrous",
            "buttons": 3,
            "weight_g": 90,
            "cable_ft": 5,
            "connector": "USB-A",
            "warranty_years": 1,
        },
        "A plain three-button mouse for a desk computer. Plug and play.",
        ["mouse", "wired", "budget"],
    ),
    _p(
        MICE,
        "Silent Click Wireless Mouse",
        "Orbix",
        24.99,
        {
            "dpi": 2400,
            "wireless": True,
            "hand": "right",
            "buttons": 4,
            "weight_g": 78,
            "battery": "1 AA",
            "warranty_years": 1,
        },
        "A mouse with hushed clicks for shared offices and late nights. Works over Bluetooth or "
        "the USB-A receiver.",
        ["mouse", "wireless", "quiet"],
        reviews=0,
    ),
    # ------------------------------------------------------------ monitors
    _p(
        MONITORS,
        "View 24 FHD Monitor",
        "Lumora",
        129.99,
        {
            "screen_in": 23.8,
            "resolution": "1920 x 1080",
            "refresh_hz": 100,
            "panel": "IPS",
            "ports": ["HDMI", "VGA"],
            "response_ms": 5,
            "speakers": False,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "An everyday monitor for home offices with thin bezels on three sides. The stand tilts "
        "but does not raise or lower.",
        ["monitor", "office", "1080p"],
    ),
    _p(
        MONITORS,
        "View 27 QHD Monitor",
        "Lumora",
        249.99,
        {
            "screen_in": 27,
            "resolution": "2560 x 1440",
            "refresh_hz": 75,
            "panel": "IPS",
            "ports": ["HDMI", "DisplayPort"],
            "response_ms": 5,
            "speakers": True,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "A sharp 1440p screen for spreadsheets and photos, with a height-adjustable stand that "
        "also turns to portrait. Two small 2 W speakers are built in.",
        ["monitor", "office", "1440p"],
    ),
    _p(
        MONITORS,
        "Pulse 27 QHD 165Hz Gaming Monitor",
        "Kestrel",
        249.99,
        {
            "screen_in": 27,
            "resolution": "2560 x 1440",
            "refresh_hz": 165,
            "panel": "Fast IPS",
            "ports": ["HDMI", "HDMI", "DisplayPort"],
            "response_ms": 1,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "A fast 1440p gaming monitor with adaptive sync for smooth frame rates. The stand "
        "adjusts in height and tilt. A DisplayPort cable is in the box.",
        ["monitor", "gaming", "1440p"],
    ),
    _p(
        MONITORS,
        "View 27 4K USB-C Monitor",
        "Lumora",
        399.99,
        {
            "screen_in": 27,
            "resolution": "3840 x 2160",
            "refresh_hz": 60,
            "panel": "IPS",
            "ports": ["USB-C", "HDMI", "DisplayPort"],
            "response_ms": 5,
            "speakers": True,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "One USB-C cable carries picture, data and 90 W of charging to a laptop. Built-in "
        "speakers and a height-adjustable stand.",
        ["monitor", "4k", "usb-c", "office"],
    ),
    _p(
        MONITORS,
        "View 32 4K Monitor",
        "Lumora",
        449.99,
        {
            "screen_in": 31.5,
            "resolution": "3840 x 2160",
            "refresh_hz": 60,
            "panel": "VA",
            "ports": ["HDMI", "HDMI", "DisplayPort"],
            "response_ms": 4,
            "speakers": False,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "A big 4K screen with deep blacks for films and photo editing. The stand tilts only; "
        "mount it on an arm for height adjustment.",
        ["monitor", "4k", "home"],
    ),
    _p(
        MONITORS,
        "Pulse 32 4K 144Hz Gaming Monitor",
        "Kestrel",
        699.99,
        {
            "screen_in": 31.5,
            "resolution": "3840 x 2160",
            "refresh_hz": 144,
            "panel": "IPS",
            "ports": ["HDMI 2.1", "HDMI 2.1", "DisplayPort", "USB-C"],
            "response_ms": 1,
            "speakers": True,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "A 4K gaming monitor with HDMI 2.1 for 4K at 120 Hz from current consoles. The USB-C port "
        "charges a laptop at 65 W.",
        ["monitor", "gaming", "4k"],
    ),
    _p(
        MONITORS,
        "Curve 34 Ultrawide Monitor",
        "Lumora",
        499.99,
        {
            "screen_in": 34,
            "resolution": "3440 x 1440",
            "refresh_hz": 100,
            "panel": "VA",
            "ports": ["HDMI", "DisplayPort", "USB-C"],
            "response_ms": 4,
            "speakers": True,
            "vesa": "100 x 100",
            "warranty_years": 3,
        },
        "A curved 21:9 screen that replaces two monitors side by side. Picture-by-picture shows "
        "two computers at once.",
        ["monitor", "ultrawide", "curved"],
        stock=0,
    ),
    # ------------------------------------------------------------ webcams
    _p(
        WEBCAMS,
        "Cam 1080 Webcam",
        "Lumora",
        49.99,
        {
            "resolution": "1080p",
            "fps": 30,
            "field_of_view_deg": 78,
            "microphone": True,
            "privacy_shutter": True,
            "autofocus": False,
            "connector": "USB-A",
            "warranty_years": 1,
        },
        "A plug-and-play webcam for video calls with a sliding privacy shutter. Clips onto a "
        "monitor or laptop screen.",
        ["webcam", "video calls", "1080p"],
    ),
    _p(
        WEBCAMS,
        "Cam 4K Pro Webcam",
        "Lumora",
        149.99,
        {
            "resolution": "4K",
            "fps": 30,
            "field_of_view_deg": 90,
            "microphone": True,
            "privacy_shutter": True,
            "autofocus": True,
            "connector": "USB-C",
            "warranty_years": 2,
        },
        "A 4K webcam with autofocus and two microphones. Fits a standard tripod thread; the "
        "tripod is sold separately.",
        ["webcam", "4k", "streaming"],
    ),
    _p(
        WEBCAMS,
        "StreamCam 60",
        "Kestrel",
        99.99,
        {
            "resolution": "1080p",
            "fps": 60,
            "field_of_view_deg": 78,
            "microphone": False,
            "privacy_shutter": False,
            "autofocus": True,
            "connector": "USB-C",
            "warranty_years": 2,
        },
        "A smooth 60 fps camera for game streaming. It has no microphone, so pair it with a "
        "headset or a desk mic.",
        ["webcam", "streaming", "gaming"],
    ),
    _p(
        WEBCAMS,
        "Cam 720 Basic",
        "NexaLink",
        24.99,
        {
            "resolution": "720p",
            "fps": 30,
            "field_of_view_deg": 60,
            "microphone": True,
            "privacy_shutter": False,
            "autofocus": False,
            "connector": "USB-A",
            "warranty_years": 1,
        },
        "A budget webcam for occasional calls. Fixed focus.",
        ["webcam", "budget"],
        reviews=0,
    ),
    # ------------------------------------------------------------ smartwatches
    _p(
        WATCHES,
        "Pulse Watch 3",
        "Orbix",
        199.99,
        {
            "battery_days": 7,
            "screen_in": 1.4,
            "compatible_with": BOTH_OS,
            "gps": True,
            "water_resistance": "5 ATM",
            "case_mm": 44,
            "warranty_years": 1,
        },
        "A fitness smartwatch with heart-rate tracking and built-in GPS for runs without your "
        "phone. On an iPhone you can read notifications but not reply to them. The band is a "
        "20 mm quick-release strap.",
        ["smartwatch", "fitness", "gps"],
    ),
    _p(
        WATCHES,
        "Pulse Watch 3 LTE",
        "Orbix",
        279.99,
        {
            "battery_days": 5,
            "screen_in": 1.4,
            "compatible_with": ["Android"],
            "gps": True,
            "water_resistance": "5 ATM",
            "lte": True,
            "case_mm": 44,
            "warranty_years": 1,
        },
        "The Pulse Watch 3 with its own mobile connection for calls and texts away from your "
        "phone. The LTE version works with Android phones only and needs a plan from your carrier.",
        ["smartwatch", "lte", "gps"],
    ),
    _p(
        WATCHES,
        "Trail Watch GPS",
        "Orbix",
        329.99,
        {
            "battery_days": 14,
            "screen_in": 1.3,
            "compatible_with": BOTH_OS,
            "gps": True,
            "water_resistance": "10 ATM",
            "case_mm": 47,
            "warranty_years": 2,
        },
        "An outdoor watch with maps, a compass and an altimeter. A solar ring on the screen "
        "tops up the battery outdoors.",
        ["smartwatch", "outdoor", "gps", "hiking"],
    ),
    _p(
        WATCHES,
        "Fit Band 2",
        "Orbix",
        59.99,
        {
            "battery_days": 10,
            "screen_in": 1.1,
            "compatible_with": BOTH_OS,
            "gps": False,
            "water_resistance": "5 ATM",
            "warranty_years": 1,
        },
        "A slim fitness band that counts steps, sleep and heart rate. It uses your phone's GPS for runs.",
        ["fitness tracker", "smartwatch", "budget"],
    ),
    _p(
        WATCHES,
        "Sola Watch",
        "Tidewave",
        149.99,
        {
            "battery_days": 5,
            "screen_in": 1.3,
            "compatible_with": BOTH_OS,
            "gps": False,
            "water_resistance": "3 ATM",
            "case_mm": 40,
            "warranty_years": 1,
        },
        "A round smartwatch with a stainless steel case and a leather band. Splash resistant, "
        "not for swimming.",
        ["smartwatch", "dress watch"],
    ),
    # ------------------------------------------------------------ wi-fi routers
    _p(
        ROUTERS,
        "Mesh 6 System, 3-Pack",
        "NexaLink",
        279.99,
        {
            "wifi_standard": "Wi-Fi 6",
            "mesh": True,
            "units": 3,
            "coverage_sq_ft": 5500,
            "max_speed_mbps": 3000,
            "ports": ["2 x Gigabit Ethernet per unit"],
            "warranty_years": 2,
        },
        "Three identical units that blanket a large home in one Wi-Fi network. There is no modem "
        "built in: connect the first unit to the modem from your internet provider.",
        ["router", "mesh wifi", "wifi 6"],
    ),
    _p(
        ROUTERS,
        "Mesh 6 System, 2-Pack",
        "NexaLink",
        199.99,
        {
            "wifi_standard": "Wi-Fi 6",
            "mesh": True,
            "units": 2,
            "coverage_sq_ft": 4000,
            "max_speed_mbps": 3000,
            "ports": ["2 x Gigabit Ethernet per unit"],
            "warranty_years": 2,
        },
        "Two units for a mid-size home; add a third unit later to extend it. There is no modem "
        "built in: connect the first unit to the modem from your internet provider.",
        ["router", "mesh wifi", "wifi 6"],
    ),
    _p(
        ROUTERS,
        "AX3000 Wi-Fi 6 Router",
        "NexaLink",
        129.99,
        {
            "wifi_standard": "Wi-Fi 6",
            "mesh": False,
            "units": 1,
            "coverage_sq_ft": 2500,
            "max_speed_mbps": 3000,
            "ports": ["1 x WAN", "4 x Gigabit Ethernet", "USB 3.0"],
            "warranty_years": 2,
        },
        "A single router with four antennas for apartments and small homes. Parental controls "
        "are free in the app.",
        ["router", "wifi 6"],
    ),
    _p(
        ROUTERS,
        "Mesh 7 System, 3-Pack",
        "NexaLink",
        499.99,
        {
            "wifi_standard": "Wi-Fi 7",
            "mesh": True,
            "units": 3,
            "coverage_sq_ft": 7500,
            "max_speed_mbps": 10000,
            "ports": ["1 x 10 Gigabit Ethernet", "2 x 2.5 Gigabit Ethernet per unit"],
            "warranty_years": 3,
        },
        "Wi-Fi 7 mesh for multi-gig internet plans and very large homes. There is no modem built in.",
        ["router", "mesh wifi", "wifi 7"],
        stock=0,
    ),
    _p(
        ROUTERS,
        "Travel Router AX1500",
        "Voltbridge",
        59.99,
        {
            "wifi_standard": "Wi-Fi 6",
            "mesh": False,
            "units": 1,
            "coverage_sq_ft": 1000,
            "max_speed_mbps": 1500,
            "ports": ["1 x WAN", "1 x LAN", "USB-C power"],
            "warranty_years": 1,
        },
        "A pocket router that turns hotel Wi-Fi into your own private network. Powered from a "
        "USB-C charger or a power bank.",
        ["router", "travel"],
    ),
    # ------------------------------------------------------------ memory cards
    _p(
        MEMORY_CARDS,
        "Pro microSD 256GB",
        "Stratavault",
        29.99,
        {
            "storage_gb": 256,
            "read_mb_s": 190,
            "write_mb_s": 130,
            "card_type": "microSDXC",
            "speed_class": "U3, V30, A2",
            "warranty_years": 10,
        },
        "A fast microSD card for the Nintendo Switch, drones, action cameras and Android phones. "
        "SD adapter included.",
        ["memory card", "microsd", "nintendo switch", "gaming"],
    ),
    _p(
        MEMORY_CARDS,
        "Pro microSD 512GB",
        "Stratavault",
        49.99,
        {
            "storage_gb": 512,
            "read_mb_s": 190,
            "write_mb_s": 130,
            "card_type": "microSDXC",
            "speed_class": "U3, V30, A2",
            "warranty_years": 10,
        },
        "The 512GB version of the Pro microSD, for 4K video and big game libraries. SD adapter included.",
        ["memory card", "microsd", "nintendo switch"],
    ),
    _p(
        MEMORY_CARDS,
        "Everyday microSD 128GB",
        "Stratavault",
        12.99,
        {
            "storage_gb": 128,
            "read_mb_s": 100,
            "write_mb_s": 60,
            "card_type": "microSDXC",
            "speed_class": "U1, A1",
            "warranty_years": 5,
        },
        "A microSD card for phones, tablets and dash cams. No SD adapter in the pack.",
        ["memory card", "microsd", "budget"],
    ),
    _p(
        MEMORY_CARDS,
        "Pro SD Card 128GB",
        "Stratavault",
        24.99,
        {
            "storage_gb": 128,
            "read_mb_s": 200,
            "write_mb_s": 90,
            "card_type": "SDXC",
            "speed_class": "U3, V30",
            "warranty_years": 10,
        },
        "A full-size SD card for cameras, fast enough for 4K video. It does not fit microSD slots.",
        ["memory card", "sd card", "camera"],
    ),
    # ------------------------------------------------------------ portable ssds
    _p(
        SSDS,
        "Vault SSD 1TB",
        "Stratavault",
        89.99,
        {
            "storage_tb": 1,
            "read_mb_s": 1050,
            "write_mb_s": 1000,
            "connector": "USB-C",
            "ip_rating": "IP55",
            "weight_g": 58,
            "warranty_years": 3,
        },
        "A pocket-size SSD with a rubber shell that survives drops of up to 6 ft. Includes "
        "USB-C to USB-C and USB-C to USB-A cables.",
        ["ssd", "portable ssd", "storage", "backup"],
    ),
    _p(
        SSDS,
        "Vault SSD 2TB",
        "Stratavault",
        149.99,
        {
            "storage_tb": 2,
            "read_mb_s": 1050,
            "write_mb_s": 1000,
            "connector": "USB-C",
            "ip_rating": "IP55",
            "weight_g": 58,
            "warranty_years": 3,
        },
        "The 2TB version of the Vault SSD, with the same rubber shell. Includes USB-C to USB-C "
        "and USB-C to USB-A cables.",
        ["ssd", "portable ssd", "storage", "backup"],
    ),
    _p(
        SSDS,
        "Vault Pro SSD 2TB",
        "Stratavault",
        229.99,
        {
            "storage_tb": 2,
            "read_mb_s": 2000,
            "write_mb_s": 2000,
            "connector": "USB-C",
            "ip_rating": "IP65",
            "weight_g": 72,
            "warranty_years": 5,
        },
        "Our fastest portable SSD, for editing video straight off the drive. Comes with a "
        "USB-C to USB-C cable only; a USB-A adapter is sold separately. The full 2000 MB/s needs "
        "a USB 3.2 Gen 2x2 port.",
        ["ssd", "portable ssd", "storage", "video"],
    ),
    _p(
        SSDS,
        "Pocket SSD 500GB",
        "NexaLink",
        49.99,
        {
            "storage_tb": 0.5,
            "read_mb_s": 540,
            "write_mb_s": 500,
            "connector": "USB-C",
            "weight_g": 40,
            "warranty_years": 2,
        },
        "A small aluminium SSD for moving files between computers. Includes a USB-C to USB-C cable.",
        ["ssd", "portable ssd", "storage"],
        reviews=0,
    ),
]

BRANDS = sorted({e["brand"] for e in CATALOGUE})


def make_products(rng: random.Random) -> list[dict]:
    products: list[dict] = []
    seen: set[str] = set()
    for n, entry in enumerate(CATALOGUE, start=1001):
        title = entry["title"]
        assert title not in seen, f"duplicate title {title!r}"
        seen.add(title)
        assert "made in" not in entry["description"].lower(), title
        sentences = len(re.findall(r"[.!?](?:\s|$)", entry["description"]))
        assert 1 <= sentences <= 4, (title, sentences)
        stock = entry["stock"]
        drawn_stock = rng.choice([2, 4, 5, 8, 11, 14, 19, 23, 30, 38, 47, 60])
        stock = drawn_stock if stock is None else stock
        drawn_reviews = max(1, min(1500, int(rng.lognormvariate(3.4, 1.2))))
        reviews = drawn_reviews if entry["reviews"] is None else entry["reviews"]
        drawn_rating = round(rng.uniform(3.5, 4.9), 1)
        rating = None if reviews == 0 else drawn_rating
        feature_tags = [k.replace("_", " ") for k, v in entry["attrs"].items() if v is True]
        tags = entry["tags"] + [t for t in feature_tags if t not in entry["tags"]]
        products.append(
            {
                "id": f"EL{n}",
                "title": title,
                "brand": entry["brand"],
                "category": f"{ROOT} > {entry['leaf']}",
                "price": entry["price"],
                "currency": "USD",
                "stock": stock,
                "rating": rating,
                "review_count": reviews,
                "description": entry["description"],
                "attributes": entry["attrs"],
                "tags": tags,
            }
        )
    return products


# ---------------------------------------------------------------- customers and orders

CUSTOMERS = [
    {
        "customer_id": "EC401",
        "name": "Aiko Tanaka",
        "email": "aiko.tanaka@example.com",
        "tier": "plus",
        "joined_at": "2021-06-14",
    },
    {
        "customer_id": "EC402",
        "name": "Marcus Reyes",
        "email": "marcus.reyes@example.org",
        "tier": "standard",
        "joined_at": "2025-02-09",
    },
    {
        "customer_id": "EC403",
        "name": "Harriet Cole",
        "email": "harriet.cole@example.co.uk",
        "tier": "standard",
        "joined_at": "2024-05-30",
        "country": "GB",
    },
    {
        "customer_id": "EC404",
        "name": "Dev Malhotra",
        "email": "dev.malhotra@example.com",
        "tier": "standard",
        "joined_at": "2026-09-18",
    },
]

# (order id, customer, status, placed at, [(product title, quantity)], carrier, eta, delivered,
#  shipping method)
ORDER_PLAN = [
    (
        "EO6001",
        "EC401",
        "delivered",
        "2026-11-04T16:22:00Z",
        [("Pod Air ANC Earbuds", 1), ("USB-C to USB-C Cable 100W, 6 ft", 2)],
        "UPS",
        None,
        "2026-11-07",
        "express",
    ),
    (
        "EO6002",
        "EC401",
        "shipped",
        "2026-11-22T11:48:00Z",
        [("Pulse 27 QHD 165Hz Gaming Monitor", 1)],
        "UPS",
        "2026-11-27",
        None,
        "express",
    ),
    (
        "EO6003",
        "EC402",
        "processing",
        "2026-11-25T01:36:00Z",
        [("K87 TKL Wired Mechanical Keyboard", 1), ("M2 Ambi Wireless Mouse", 1)],
        None,
        None,
        None,
        "standard",
    ),
    (
        "EO6004",
        "EC402",
        "cancelled",
        "2026-11-03T20:15:00Z",
        [("Curve 34 Ultrawide Monitor", 1)],
        None,
        None,
        None,
        "standard",
    ),
    (
        "EO6005",
        "EC403",
        "delivered",
        "2026-10-06T09:30:00Z",
        [("Hush 700 ANC Headphones", 1)],
        "DHL Express",
        None,
        "2026-10-13",
        "international",
    ),
    (
        "EO6006",
        "EC403",
        "shipped",
        "2026-11-20T14:05:00Z",
        [("Vault SSD 1TB", 1), ("USB-C to USB-C Cable 60W, 3 ft", 1)],
        "DHL Express",
        "2026-11-28",
        None,
        "international",
    ),
    (
        "EO6007",
        "EC404",
        "shipped",
        "2026-11-23T18:40:00Z",
        [("Boom Go Speaker", 1), ("Volt 65W GaN Charger", 1)],
        "USPS",
        "2026-11-26",
        None,
        "standard",
    ),
    (
        "EO6008",
        "EC404",
        "delivered",
        "2026-10-07T12:10:00Z",
        [("Volt 20K Power Bank", 1)],
        "USPS",
        None,
        "2026-10-12",
        "standard",
    ),
]


def _tracking(rng: random.Random, carrier: str) -> str:
    digits = "0123456789"
    if carrier == "UPS":
        return "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16))
    if carrier == "USPS":
        return "9400" + "".join(rng.choice(digits) for _ in range(18))
    if carrier == "DHL Express":
        return "".join(rng.choice(digits) for _ in range(10))
    return "".join(rng.choice(digits) for _ in range(12))  # FedEx


def make_orders(rng: random.Random, products: list[dict]) -> list[dict]:
    by_title = {p["title"]: p for p in products}
    orders = []
    for oid, cid, status, placed, lines, carrier, eta, delivered, method in ORDER_PLAN:
        items = [
            {"product_id": by_title[t]["id"], "quantity": q, "unit_price": by_title[t]["price"]}
            for t, q in lines
        ]
        order = {
            "order_id": oid,
            "customer_id": cid,
            "status": status,
            "placed_at": placed,
            "items": items,
            "carrier": carrier,
            "tracking_number": _tracking(rng, carrier) if carrier else None,
            "eta": eta,
            "shipping_method": method,
        }
        if delivered:
            order["delivered_at"] = delivered
        orders.append(order)
    return orders


# ---------------------------------------------------------------- policies

POLICIES = {
    "returns": """# Returns and Refunds

## Return window
You can return most items within 30 days of delivery for a refund. The 30 days start on the delivery date shown in tracking. Holiday extension: items delivered between 1 November and 24 December 2026 can be returned until 15 January 2027.

## Opened items and the restocking fee
Unopened items in their sealed packaging are refunded in full. Opened items can be returned within the same window if they are complete, undamaged and in the original box with all accessories and manuals; a 15% restocking fee is taken off the refund. The restocking fee is waived when the item arrived faulty or damaged or is not what you ordered.

## Items that cannot be returned
For hygiene reasons, earbuds and other in-ear products cannot be returned once the hygiene seal on the box is broken. Memory cards and portable SSDs cannot be returned once opened, because they can hold personal data. Gift cards and items marked "Final sale" cannot be returned either. If one of these items is faulty, it is covered by its warranty instead.

## How to start a return
Start a return from your order page (Orders > Return an item) or in chat with your order number. We email a prepaid return label that is valid for 10 days. Pack the item in its original box inside a shipping box.

## Return shipping costs
A return label costs $6.99, taken off your refund. It is free for Plus members and when the item is faulty, damaged or not what you ordered. International returns are sent back at your own cost with a tracked service.

## Refunds
Returns are checked within 3 business days of reaching our warehouse in Reno, Nevada. We then refund the original payment method: cards take 5 to 7 business days to show it, PayPal 3 to 5 business days, and Klarna updates your payment plan. Original shipping charges are refunded only when the return is our mistake.

## Cancelling an order
You can cancel an order while its status is "processing", from your order page or in chat, at no cost. Once it has shipped it cannot be cancelled; return it when it arrives instead.
""",
    "warranty": """# Warranty

## Manufacturer warranty
Every product comes with the manufacturer's warranty shown on its product page, from 1 to 10 years, counted from the delivery date. You claim it through us, not through the brand.

## What the warranty covers
The warranty covers defects in materials and workmanship, including batteries that hold less than 80% of their rated capacity within the warranty period. It does not cover drops, cracked screens, liquid damage beyond the product's IP rating, lost parts, or normal wear of ear cushions, ear tips and straps.

## Dead on arrival
If a product does not work when you first unpack it, tell us within 15 days of delivery and we send a new one with a prepaid return label for the faulty one. No restocking fee applies.

## How to make a warranty claim
Start a claim in chat or from your order page with your order number, a short description of the problem and a photo or video of it. We answer every claim within 2 business days. If the claim is approved we repair or replace the product; the replacement ships when the faulty item reaches us. Plus members get an advance replacement that ships before they send the faulty item back.

## Extended protection
CircuitCare extends the warranty by 2 years and adds accidental damage cover (drops and spills). It costs 12% of the product price and must be bought within 30 days of delivery. It is not available for cables, phone cases or memory cards.
""",
    "shipping": """# Shipping and Delivery

## Processing times
Orders placed by 2 pm ET Monday to Friday leave our Reno, Nevada warehouse the same business day; later orders ship the next business day.

## US shipping rates
| Option | Cost | Delivery time after dispatch |
|---|---|---|
| Standard (USPS or UPS Ground) | $5.99 | 3-5 business days |
| Express (UPS) | $14.99 | 2 business days |
| Overnight (UPS) | $29.99 | next business day |

## Free shipping
Standard shipping is free on US orders of $49 or more (after discounts, before tax). Plus members get free express shipping on every order. We deliver to all 50 states, PO boxes and APO/FPO/DPO addresses; PO boxes and military addresses get USPS standard only.

## International shipping
| Destination | Cost | Delivery time | Duties and taxes |
|---|---|---|---|
| Canada | $14.99 | 5-9 business days | charged at checkout |
| United Kingdom and EU | $24.99 | 4-8 business days | charged at checkout |
| Australia and New Zealand | $29.99 | 6-10 business days | paid by you on delivery |

International parcels travel with DHL Express. We do not ship to other countries yet.

## Power banks and batteries
Power banks and spare batteries ship by ground within the contiguous US only. We cannot send them abroad, by air (express or overnight) or to Alaska, Hawaii and APO/FPO/DPO addresses. Products with a built-in battery, such as headphones and speakers, ship everywhere we deliver.

## Tracking your order
We email a tracking link when your order ships, and the assistant can look it up with your order number. Tracking can take up to 24 hours to show the first scan.

## Damaged or missing parcels
If your parcel arrives damaged, or a product inside is cracked or broken, tell us within 7 days of delivery with photos of the box and the product and we send a replacement at no cost. Keep the original box until we reply. If tracking shows no movement for 5 business days, we trace the parcel and send a replacement or a refund.
""",
    "payments": """# Payments

## Accepted payment methods
We accept Visa, Mastercard, American Express and Discover, PayPal, Apple Pay, Google Pay, Klarna (US only) and our gift cards. All prices are in US dollars; cards from other countries are charged in USD and converted by your bank.

## Klarna
Pay for US orders from $50 to $2,500 in 4 interest-free payments, taken every 2 weeks; the first is taken when you place the order. Klarna approves each order. Klarna is not available for international orders or gift cards.

## Gift cards
Digital gift cards come in any amount from $10 to $500, never expire and carry no fees. They cannot be used to buy other gift cards and cannot be exchanged for cash.

## When you are charged
Your card is authorised when you place the order and charged when the order ships. A cancelled order's authorisation is released within 3 to 5 business days, depending on your bank.

## Sales tax
Sales tax is added at checkout for US addresses, based on the delivery address.

## Payment methods we do not accept
We do not accept cryptocurrency, checks, bank transfers or cash on delivery.
""",
    "price_match": """# Price Match

## Matching a competitor's price
We match the current price of an identical new item (same brand, model and capacity) that is sold and shipped by Amazon.com, Best Buy, Walmart.com, Target.com or B&H Photo and is in stock there. Ask in chat with a link to the competitor's page, before you order or within 14 days after delivery, and we refund the difference.

## What we do not match
We do not match marketplace or third-party sellers (including those selling on Amazon, Walmart.com or eBay), open-box, refurbished or used items, prices that need a coupon, a membership or a bundle, or clearance prices. Price matching is paused from 27 November to 30 November 2026 (Black Friday to Cyber Monday).

## When our own price drops
If our own price for an item goes down within 14 days of your delivery, ask us in chat and we refund the difference, once per item.
""",
    "contact": """# Contact Us

## Chat and phone
Ask the assistant for a person at any time. Our support team answers in chat every day from 8 am to 11 pm ET, and by phone at 1-800-555-0146 Monday to Friday from 9 am to 7 pm ET.

## Email
Email support@example.com; we answer within 1 business day.

## Plus membership
Plus is our free membership for customers who spend $500 or more in a calendar year. Plus members get free express shipping, free return labels and advance warranty replacements.

## Returns address
Returns go to: Returns Department, 2200 Example Way, Reno, NV 89502. Please use the prepaid label from your return request.
""",
}

README = """# The electronics shop

A fictional online store for **consumer electronics** (headphones, earbuds, bluetooth speakers,
chargers, power banks, cables, phone cases, keyboards, mice, monitors, webcams, smartwatches,
Wi-Fi routers, memory cards and portable SSDs), in the shop-directory format of DESIGN.md
(contract 1). It is the fourth shop of the project and the one nobody tuned the assistant on:
a domain where questions are about battery life, compatibility, ports, what is in the box and
returns of opened items, with its own attribute names and units. Everything here is
generated; regenerate it, byte for byte, with:

    python scripts/make_electronics_shop.py --out data/electronics_shop --seed 31

| File | What it holds |
|---|---|
| `products.jsonl` | {n_products} products in {n_leaves} leaf categories from {n_brands} fictional brands; {n_oos} out of stock; {n_unrated} without reviews (rating null) |
| `policies/*.md` | returns (restocking fee, items that cannot be returned), warranty (claims, extended protection), shipping (incl. international and power banks), payments (incl. Klarna), price match, contact |
| `customers.jsonl` | {n_customers} customers (tiers standard and plus) |
| `orders.jsonl` | {n_orders} orders (processing, shipped, delivered, cancelled) |

No ads and no events. The shop's "today" is {today}.

Products per category:

{per_leaf}

Attribute names (this shop's own): `wireless`, `anc`, `bluetooth` (a version string, "5.3"),
`driver_mm`, `battery_hours` (headphones, earbuds, speakers, keyboards, mice),
`case_battery_hours` (earbuds with their case), `battery_days` (smartwatches), `battery`
("1 AA", where a device takes batteries), `charge_time_min`, `wireless_charging`, `ip_rating`
("IPX4", "IP67"), `output_w`, `ports` (a list), `gan`, `foldable_plug`, `capacity_mah`,
`connector` ("USB-C to Lightning", "3.5 mm"), `cable_ft`, `braided`, `data_speed`,
`compatible_with` (a list of phones, systems or consoles), `magsafe`, `drop_ft`, `material`,
`switch_type`, `layout`, `backlit`, `dpi`, `hand` (right, left, ambidextrous), `buttons`,
`screen_in`, `resolution`, `refresh_hz`, `panel`, `response_ms`, `speakers`, `vesa`,
`fps`, `field_of_view_deg`, `microphone`, `privacy_shutter`, `autofocus`, `gps`,
`water_resistance` ("5 ATM"), `case_mm`, `lte`, `wifi_standard`, `mesh`, `units`,
`coverage_sq_ft`, `max_speed_mbps`, `storage_gb` (memory cards), `storage_tb` (SSDs),
`read_mb_s`, `write_mb_s`, `card_type`, `speed_class`, `colors`, `warranty_years`. Weights are
`weight_g` (headphones, earbuds, power banks, mice, SSDs) or `weight_oz` (speakers). Several
are set for some products only (`speakers` is absent from one monitor, `microphone` from most
speakers, `ip_rating` from one pair of earbuds and one speaker).

Facts that only the description states: what is in the box (a hard carrying case, a carrying
case sold separately, a pouch, no cable in the box, no power adapter, an SD adapter included
or not, USB-A cable included or sold separately, ear tips in three sizes or one size), a
Lightning cable that does not fit an iPhone 15 without an adapter, auto-off after 20
minutes, stereo pairing, a speakerphone, hot-swappable switches (or soldered), no modem built
in, replying to notifications on an iPhone, an Android-only EQ app, a power bank's airline
carry-on rule (74 Wh), phone models a case does not fit.

Pairs and ties for references and superlatives: the View 27 QHD and the Pulse 27 QHD 165Hz
monitors (both $249.99, the cheapest 27-inch screens); the Volt 10K Slim and the PowerCell
10000 power banks (both 10,000 mAh at $29.99); Pod Sport Earbuds and Wave Buds 2 (both
10 h, the longest earbud battery); the Mesh 6 System 2-Pack and 3-Pack; the View 32 4K and
Pulse 32 4K monitors; the Armor and Clear MagSafe cases for iPhone 16 Pro; the Lefty and M2
Ambi mice; Hush 700 and Hush 900 Pro (both 30 h); Vault SSD 1TB and 2TB (both 58 g).
"""


def _dump(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def generate(out: Path, seed: int) -> None:
    rng = random.Random(seed)
    products = make_products(rng)
    orders = make_orders(rng, products)
    out.mkdir(parents=True, exist_ok=True)
    (out / "policies").mkdir(exist_ok=True)
    _dump(out / "products.jsonl", products)
    _dump(out / "customers.jsonl", CUSTOMERS)
    _dump(out / "orders.jsonl", orders)
    for name, text in POLICIES.items():
        (out / "policies" / f"{name}.md").write_text(text, encoding="utf-8")
    leaves: dict[str, int] = {}
    for p in products:
        leaves[p["category"]] = leaves.get(p["category"], 0) + 1
    per_leaf = "\n".join(f"- {leaf}: {n}" for leaf, n in leaves.items())
    (out / "README.md").write_text(
        README.format(
            n_products=len(products),
            n_leaves=len(leaves),
            n_brands=len(BRANDS),
            n_oos=sum(1 for p in products if p["stock"] == 0),
            n_unrated=sum(1 for p in products if p["rating"] is None),
            n_customers=len(CUSTOMERS),
            n_orders=len(orders),
            today=TODAY,
            per_leaf=per_leaf,
        ),
        encoding="utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("data/electronics_shop"))
    ap.add_argument("--seed", type=int, default=31)
    args = ap.parse_args()
    generate(args.out, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
