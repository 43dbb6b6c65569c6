#!/usr/bin/env python3
"""Emit SQL for an OpenCart-4.1-shaped store database ("ocmini") at any scale.

This is CartBridge's own generator, not a copy of OpenCart's installer. Its CREATE TABLE statements give every
column of the OpenCart 4.1.0.4 tables the project reads (same names, types, defaults, primary keys and indexes;
prefix `oc_`), so code written against a real 4.1 store runs on it unchanged. The rows are synthetic and
deterministic: the same arguments give byte-identical SQL.

    gen_opencart_mini.py [--products N] [--customers C] [--orders O] [--seed S]
                         [--store-url URL] [--prefix oc_] > ocmini.sql

--customers defaults to max(12, N // 10) and --orders to max(20, N // 5). 100,000 products (10,000 customers,
20,000 orders) take well under a minute.

What the data looks like, and why:
- Text is stored the way OpenCart stores form input: `& < > "` as HTML entities, single quotes, backslashes and
  non-ASCII letters as they are. A reader must decode the entities, as it must on a real store.
- 4.1 moved things: specials are `product_discount` rows with `special` = 1 (`type` F = fixed price, P = percent
  off); SKU/UPC/EAN/JAN/ISBN/MPN are `product_code` rows named by `identifier`; variants are `product` rows with
  `master_id` set and JSON in `variant`/`override` (there is no product_variant or product_special table);
  country and zone names live in `country_description`/`zone_description`; the default address is
  `address`.`default` = 1 (`customer` has no address_id); `order`.`payment_method`/`shipping_method` are JSON.
- Store 0 is not a row of `store` (as in OpenCart): its name and URL are settings.
- Orders with `order_status_id` 0 are "missing orders" (checkout never confirmed) that OpenCart's admin hides;
  they have no history rows. Every other order's first history row is Pending at `date_added`.
- Everything referenced exists: `order`.`total` equals its `total` order_total row, `order_product.total` is
  price x quantity, `order_option` rows point at the product's own option rows, and so on.

Standard library only. The SQL does not name a database: load it with `mariadb <db> < ocmini.sql`.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import random
import re
import sys

BATCH = 500  # rows per INSERT: big enough for a fast load, far below max_allowed_packet

ADJECTIVES = ["Classic", "Compact", "Deluxe", "Eco", "Heavy-Duty", "Lightweight", "Modern", "Portable",
              "Premium", "Rugged", "Smart", "Vintage", "Wireless", "Ergonomic", "Café", "Grüne", "Ёлочная",
              "Chef's", "Kids' \"Mini\""]
NOUNS = ["Backpack", "Blender", "Camera", "Chair", "Desk Lamp", "Headphones", "Kettle", "Keyboard",
         "Monitor", "Mug", "Notebook", "Speaker", "Tent", "Umbrella", "Watch", "Tasse", "Игрушка",
         "Adapter 3\\4", "Knife & Fork Set", "Shelf <Oak>"]
TAGS = ["gift", "sale", "new", "bestseller", "eco", "outdoor", "office", "kitchen"]

# (category_id, parent_id, name, status): the fixed categories every size has; bigger stores get more below.
CATEGORIES = [
    (1, 0, "Electronics", 1),
    (2, 0, "Home & Kitchen", 1),
    (3, 0, "Outdoor", 1),
    (4, 1, "Audio", 1),
    (5, 2, "Küche", 1),
    (6, 3, "Camping \"Pro\"", 1),
    (7, 4, "Kopfhörer & Ohrstöpsel", 1),  # a third level, so category_path has level 2 rows
    (8, 0, "Clearance", 0),               # disabled, as stores keep old categories
]
CATEGORY_WORDS = ["Accessories", "Spares", "Bundles", "Gifts", "Refurbished", "Essentials", "Zubehör", "Outlet"]
MAX_DEPTH = 4

MANUFACTURERS = ["Acme Works", "Borealis", "Cobalt & Co", "Dünenwerk", "Evergreen", "Fjord Labs", "Granite",
                 "O'Hara Goods"]

STORE_NAME = "CartBridge Mini Store"  # the tests look for it

# Order statuses a store of this shape offers (our own short list; the tests rely on ids 1-6).
ORDER_STATUSES = ["Pending", "Processing", "Shipped", "Complete", "Canceled", "Refunded"]
# How often each final status occurs: (order_status_id, weight). Besides, 1 order in 20 is a missing one (0).
STATUS_WEIGHTS = [(1, 10), (2, 15), (3, 20), (4, 40), (5, 10), (6, 5)]
# The ids OpenCart gives its stock statuses, with our names.
STOCK_STATUSES = [(5, "Out Of Stock"), (6, "2-3 Days"), (7, "In Stock"), (8, "Pre-Order")]

# (option_id, type, name, sort_order, [(option_value_id, name)]); a text option has no values.
OPTIONS = [
    (1, "select", "Size", 1, [(1, "S"), (2, "M"), (3, "L"), (4, "XL")]),
    (2, "select", "Color", 2, [(5, "Red"), (6, "Blue"), (7, "Green"), (8, "Black")]),
    (3, "radio", "Material", 3, [(9, "Cotton"), (10, "Wool"), (11, "Leinen")]),
    (4, "text", "Engraving", 4, []),
]
ENGRAVINGS = ["For Anna", "Happy 30th!", "Bon voyage", "Für Oma", "To \"the\" boss", "O'Malley"]

# Countries with OpenCart's ids (config_country_id = 222 is GB), and a few zones with their OpenCart ids.
# (country_id, iso2, iso3, name, postcode_required, [(zone_id, code, name, [cities])], postcode pattern)
COUNTRIES = [
    (222, "GB", "GBR", "United Kingdom", 1, [
        (3553, "LDN", "Greater London", ["London", "Croydon"]),
        (3554, "MCH", "Greater Manchester", ["Manchester", "Salford"]),
        (3563, "LANCS", "Lancashire", ["Preston", "Blackpool"]),
        (3601, "TWR", "Tyne and Wear", ["Newcastle upon Tyne", "Sunderland"]),
    ], "gb"),
    (223, "US", "USA", "United States", 0, [
        (3624, "CA", "California", ["San José", "Los Angeles"]),
        (3655, "NY", "New York", ["New York", "Buffalo"]),
        (3669, "TX", "Texas", ["Austin", "El Paso"]),
        (3674, "WA", "Washington", ["Seattle", "Spokane"]),
    ], "us"),
    (81, "DE", "DEU", "Germany", 1, [
        (1254, "BW", "Baden-Württemberg", ["Stuttgart", "Tübingen"]),
        (1255, "BY", "Bayern", ["München", "Nürnberg"]),
        (1256, "BE", "Berlin", ["Berlin"]),
    ], "de"),
    (74, "FR", "FRA", "France", 1, [], "fr"),  # no zones: addresses there have zone_id 0
]
FR_CITIES = ["Paris", "Lyon", "Besançon"]
# How often customers live in each country, in COUNTRIES order.
COUNTRY_WEIGHTS = [45, 35, 12, 8]

FIRST_NAMES = [("Alice", "alice"), ("Bruno", "bruno"), ("Chloé", "chloe"), ("Dmitri", "dmitri"),
               ("Émile", "emile"), ("Fatima", "fatima"), ("Grace", "grace"), ("Hiroshi", "hiroshi"),
               ("Ingrid", "ingrid"), ("Jürgen", "jurgen"), ("Kateryna", "kateryna"), ("Liam", "liam"),
               ("Maëlle", "maelle"), ("Noah", "noah"), ("Olivia", "olivia"), ("Pavel", "pavel"),
               ("Quinn", "quinn"), ("Rosa", "rosa"), ("Søren", "soren"), ("Tomás", "tomas"), ("Zoë", "zoe"),
               ("Анна", "anna"), ("Łukasz", "lukasz")]
LAST_NAMES = [("Anderson", "anderson"), ("Brown", "brown"), ("Clarke", "clarke"), ("D'Angelo", "dangelo"),
              ("Evans", "evans"), ("Fischer", "fischer"), ("García", "garcia"), ("Hughes", "hughes"),
              ("Ivanova", "ivanova"), ("Jones", "jones"), ("Kowalski", "kowalski"), ("Müller", "muller"),
              ("Nakamura", "nakamura"), ("O'Brien", "obrien"), ("Patel", "patel"), ("Rossi", "rossi"),
              ("Schäfer", "schafer"), ("Taylor", "taylor"), ("Walsh-Smith", "walsh-smith")]
STREETS = {"GB": ["High Street", "Station Road", "Church Lane", "St Mary's Row"],
           "US": ["Main St", "Elm Avenue", "Oak Drive", "5th Avenue"],
           "DE": ["Hauptstraße", "Königsallee", "Am Mühlbach"], "FR": ["Rue de la Paix", "Allée des Chênes"]}
COMPANIES = ["", "", "", "Smith & Sons \"Ltd\"", "Nordlicht GmbH", "O'Reilly Supplies"]
ORDER_COMMENTS = ["", "", "", "", "Please leave the parcel at the back door.", "Gift – no invoice inside, please",
                  "Call me on arrival \\ ring twice", "Deliver after 5pm"]
HISTORY_COMMENTS = {2: "Payment received.", 3: "Shipped with tracking number CB{n:08d}.",
                    4: "Order complete. Thank you!", 5: "Canceled at the customer's request.",
                    6: "Refunded to the original payment method."}
PAYMENT_METHODS = [{"name": "Cash On Delivery", "code": "cod.cod"},
                   {"name": "Bank Transfer", "code": "bank_transfer.bank_transfer"},
                   {"name": "Cheque / Money Order", "code": "cheque.cheque"}]
ADDRESS_FORMAT = ("{firstname} {lastname}\r\n{company}\r\n{address_1}\r\n{address_2}\r\n{city}, {zone} {postcode}"
                  "\r\n{country}")
# (currency_id, code, value, weight): the currencies orders are placed in; the default (USD) mostly.
ORDER_CURRENCIES = [(2, "USD", "1.00000000", 70), (1, "GBP", "0.61250001", 20), (3, "EUR", "0.78460002", 10)]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

VAT_PERCENT = 20        # tax class 9 ("Taxable Goods") charges this
SHIPPING_CENTS = 500    # flat rate, taxed like goods
TAXABLE, DOWNLOADABLE = 9, 10

# The store's timeline: products are added over the first 80 %, customers over the first 90 %, orders from
# 10 % on, so that nothing is ordered before it exists.
START = dt.datetime(2023, 1, 2)  # midnight: ts() relies on it
SPAN = int(dt.timedelta(days=900).total_seconds())
NEVER = "0000-00-00"  # OpenCart's "no date" for special/discount periods


# ---------------------------------------------------------------------------------------------------------------
# SQL literals and the INSERT writer

class Raw(str):
    """A value written verbatim (a DECIMAL literal)."""


def _lit_str(s: str) -> str:
    # MariaDB's default sql_mode treats backslash as an escape character, so it is escaped too. Most strings
    # need nothing: the `in` tests are much cheaper than str.translate, which matters at 100,000 products.
    if "'" in s or "\\" in s or "\n" in s or "\r" in s or "\0" in s or "\x1a" in s:
        s = (s.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
             .replace("\n", "\\n").replace("\r", "\\r").replace("\x1a", "\\Z"))
    return "'" + s + "'"


# SQL literal by Python type (a dict lookup is the cheapest dispatch at a few million values)
_LITERAL = {int: str, str: _lit_str, Raw: str, type(None): lambda _: "NULL", bool: lambda b: "1" if b else "0"}


class Writer:
    """Multi-row INSERTs, BATCH rows each, written as soon as a batch is full so memory stays flat at any size.

    Statements of different tables interleave in the file; with foreign key checks off that does not matter.
    """

    def __init__(self, out, prefix: str):
        self.out, self.prefix = out, prefix
        self.columns: dict[str, list[str]] = {}
        self.heads: dict[str, str] = {}
        self.rows: dict[str, list[str]] = {}

    def table(self, name: str, columns: list[str]) -> None:
        self.columns[name] = columns
        cols = ", ".join(f"`{c}`" for c in columns)
        self.heads[name] = f"INSERT INTO `{self.prefix}{name}` ({cols}) VALUES\n"
        self.rows[name] = []

    def add(self, name: str, *values) -> None:
        """One row, the values in the table's column order."""
        rows = self.rows[name]
        rows.append("(" + ", ".join([_LITERAL[type(v)](v) for v in values]) + ")")
        if len(rows) >= BATCH:
            self.flush(name)

    def add_dict(self, name: str, row: dict) -> None:
        """One row by column name: every column must be given, so a forgotten one fails loudly."""
        cols = self.columns[name]
        if len(row) != len(cols):
            missing, extra = set(cols) - set(row), set(row) - set(cols)
            raise KeyError(f"{name}: missing {sorted(missing)}, unknown {sorted(extra)}")
        self.add(name, *[row[c] for c in cols])

    def flush(self, name: str) -> None:
        rows = self.rows[name]
        if rows:
            self.out.write(self.heads[name] + ",\n".join(rows) + ";\n")
            rows.clear()

    def flush_all(self) -> None:
        for name in self.rows:
            self.flush(name)


def money(cents: int) -> Raw:
    """DECIMAL(15,4) literal from a whole number of cents."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return Raw(f"{sign}{cents // 100}.{cents % 100:02d}00")


def dec8(thousandths: int) -> Raw:
    """DECIMAL(15,8) literal from thousandths (weights and dimensions)."""
    return Raw(f"{thousandths // 1000}.{thousandths % 1000:03d}00000")


_DAYS: dict[int, str] = {}


def day(seconds: int) -> str:
    """DATE value, seconds after START (cached per day: strftime is slow at this scale)."""
    n = seconds // 86400
    text = _DAYS.get(n)
    if text is None:
        text = _DAYS[n] = (START + dt.timedelta(days=n)).strftime("%Y-%m-%d")
    return text


def ts(seconds: int) -> str:
    """DATETIME value, seconds after START (START is midnight-aligned below, so day() gives the date part)."""
    minutes, sec = divmod(seconds % 86400, 60)
    hour, minute = divmod(minutes, 60)
    return f"{day(seconds)} {hour:02d}:{minute:02d}:{sec:02d}"


def h(text: str) -> str:
    """Text as OpenCart stores form input (htmlspecialchars with ENT_COMPAT): single quotes stay as they are."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slug(text: str) -> str:
    """SEO keyword: lower case words joined by '-'; non-ASCII letters stay, as OpenCart allows them."""
    return _NOT_WORD.sub("-", text.lower()).strip("-_")


def spread(index: int, count: int, fraction: float, rng: random.Random) -> int:
    """Seconds after START for item index (0-based) of count spread evenly over fraction of SPAN, with jitter
    inside its own slot, so the result grows with index (ids and dates agree, as in a real store)."""
    slot = fraction * SPAN / max(count, 1)
    return int(index * slot + rng.random() * slot * 0.9)


# ---------------------------------------------------------------------------------------------------------------
# Schema: OpenCart 4.1.0.4's columns, types, defaults and keys, written out by us.

ENGINE = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"

TABLES: list[tuple[str, str]] = [
    ("setting", """
  `setting_id` int(11) NOT NULL AUTO_INCREMENT,
  `store_id` int(11) DEFAULT 0,
  `code` varchar(128) DEFAULT NULL,
  `key` varchar(128) DEFAULT NULL,
  `value` mediumtext DEFAULT NULL,
  `serialized` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`setting_id`)"""),
    ("language", """
  `language_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(32) DEFAULT NULL,
  `code` varchar(5) DEFAULT NULL,
  `locale` varchar(255) DEFAULT NULL,
  `extension` varchar(255) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  `status` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`language_id`),
  KEY `name` (`name`)"""),
    ("currency", """
  `currency_id` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(32) DEFAULT NULL,
  `code` varchar(3) DEFAULT NULL,
  `symbol_left` varchar(12) DEFAULT NULL,
  `symbol_right` varchar(12) DEFAULT NULL,
  `decimal_place` int(1) DEFAULT 2,
  `value` double(15,8) DEFAULT NULL,
  `status` tinyint(1) DEFAULT 0,
  `date_modified` datetime DEFAULT NULL,
  PRIMARY KEY (`currency_id`)"""),
    ("store", """
  `store_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(64) DEFAULT NULL,
  `url` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`store_id`)"""),
    ("order_status", """
  `order_status_id` int(11) NOT NULL AUTO_INCREMENT,
  `language_id` int(11) NOT NULL,
  `name` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`order_status_id`,`language_id`)"""),
    ("stock_status", """
  `stock_status_id` int(11) NOT NULL AUTO_INCREMENT,
  `language_id` int(11) NOT NULL,
  `name` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`stock_status_id`,`language_id`)"""),
    ("customer_group", """
  `customer_group_id` int(11) NOT NULL AUTO_INCREMENT,
  `approval` int(1) DEFAULT 0,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`customer_group_id`)"""),
    ("customer_group_description", """
  `customer_group_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(32) DEFAULT NULL,
  `description` text DEFAULT NULL,
  PRIMARY KEY (`customer_group_id`,`language_id`)"""),
    ("address_format", """
  `address_format_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(128) DEFAULT NULL,
  `address_format` text DEFAULT NULL,
  PRIMARY KEY (`address_format_id`)"""),
    ("country", """
  `country_id` int(11) NOT NULL AUTO_INCREMENT,
  `iso_code_2` varchar(2) DEFAULT NULL,
  `iso_code_3` varchar(3) DEFAULT NULL,
  `address_format_id` int(11) DEFAULT 0,
  `postcode_required` tinyint(1) DEFAULT NULL,
  `status` tinyint(1) DEFAULT 1,
  PRIMARY KEY (`country_id`)"""),
    ("country_description", """
  `country_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`country_id`,`language_id`),
  KEY `name` (`name`)"""),
    ("zone", """
  `zone_id` int(11) NOT NULL AUTO_INCREMENT,
  `country_id` int(11) DEFAULT NULL,
  `code` varchar(32) DEFAULT NULL,
  `status` tinyint(1) DEFAULT 1,
  PRIMARY KEY (`zone_id`)"""),
    ("zone_description", """
  `zone_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`zone_id`,`language_id`),
  KEY `name` (`name`)"""),
    ("weight_class", """
  `weight_class_id` int(11) NOT NULL AUTO_INCREMENT,
  `value` decimal(15,8) DEFAULT 0.00000000,
  PRIMARY KEY (`weight_class_id`)"""),
    ("weight_class_description", """
  `weight_class_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `title` varchar(32) DEFAULT NULL,
  `unit` varchar(4) DEFAULT NULL,
  PRIMARY KEY (`weight_class_id`,`language_id`)"""),
    ("length_class", """
  `length_class_id` int(11) NOT NULL AUTO_INCREMENT,
  `value` decimal(15,8) DEFAULT NULL,
  PRIMARY KEY (`length_class_id`)"""),
    ("length_class_description", """
  `length_class_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `title` varchar(32) DEFAULT NULL,
  `unit` varchar(4) DEFAULT NULL,
  PRIMARY KEY (`length_class_id`,`language_id`)"""),
    ("tax_class", """
  `tax_class_id` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(32) DEFAULT NULL,
  `description` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`tax_class_id`)"""),
    ("identifier", """
  `identifier_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(64) DEFAULT NULL,
  `code` varchar(48) DEFAULT NULL,
  `validation` varchar(255) DEFAULT NULL,
  `status` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`identifier_id`)"""),
    ("manufacturer", """
  `manufacturer_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(64) DEFAULT NULL,
  `image` varchar(255) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`manufacturer_id`)"""),
    ("manufacturer_to_store", """
  `manufacturer_id` int(11) NOT NULL,
  `store_id` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`manufacturer_id`,`store_id`)"""),
    ("category", """
  `category_id` int(11) NOT NULL AUTO_INCREMENT,
  `image` varchar(255) DEFAULT NULL,
  `parent_id` int(11) DEFAULT 0,
  `sort_order` int(3) DEFAULT 0,
  `status` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`category_id`),
  KEY `parent_id` (`parent_id`)"""),
    ("category_description", """
  `category_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  `description` mediumtext DEFAULT NULL,
  `meta_title` varchar(255) DEFAULT NULL,
  `meta_description` varchar(255) DEFAULT NULL,
  `meta_keyword` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`category_id`,`language_id`),
  KEY `name` (`name`)"""),
    ("category_path", """
  `category_id` int(11) NOT NULL,
  `path_id` int(11) NOT NULL,
  `level` int(11) DEFAULT NULL,
  PRIMARY KEY (`category_id`,`path_id`)"""),
    ("category_to_store", """
  `category_id` int(11) NOT NULL,
  `store_id` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`category_id`,`store_id`)"""),
    ("product", """
  `product_id` int(11) NOT NULL AUTO_INCREMENT,
  `master_id` int(11) DEFAULT 0,
  `model` varchar(64) DEFAULT NULL,
  `location` varchar(128) DEFAULT NULL,
  `variant` text DEFAULT '',
  `override` text DEFAULT '',
  `quantity` int(4) DEFAULT 0,
  `stock_status_id` int(11) DEFAULT 0,
  `image` varchar(255) DEFAULT NULL,
  `manufacturer_id` int(11) DEFAULT 0,
  `shipping` tinyint(1) DEFAULT 1,
  `price` decimal(15,4) DEFAULT 0.0000,
  `points` int(8) DEFAULT 0,
  `tax_class_id` int(11) DEFAULT 0,
  `date_available` date DEFAULT NULL,
  `weight` decimal(15,8) DEFAULT 0.00000000,
  `weight_class_id` int(11) DEFAULT 0,
  `length` decimal(15,8) DEFAULT 0.00000000,
  `width` decimal(15,8) DEFAULT 0.00000000,
  `height` decimal(15,8) DEFAULT 0.00000000,
  `length_class_id` int(11) DEFAULT 0,
  `subtract` tinyint(1) DEFAULT 1,
  `minimum` int(11) DEFAULT 1,
  `rating` int(1) DEFAULT 0,
  `sort_order` int(11) DEFAULT 0,
  `status` tinyint(1) DEFAULT 0,
  `date_added` datetime DEFAULT NULL,
  `date_modified` datetime DEFAULT NULL,
  PRIMARY KEY (`product_id`)"""),
    ("product_description", """
  `product_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) DEFAULT NULL,
  `description` mediumtext DEFAULT NULL,
  `tag` text DEFAULT NULL,
  `meta_title` varchar(255) DEFAULT NULL,
  `meta_description` varchar(255) DEFAULT NULL,
  `meta_keyword` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`product_id`,`language_id`),
  KEY `name` (`name`)"""),
    ("product_code", """
  `product_code_id` int(11) NOT NULL AUTO_INCREMENT,
  `product_id` int(11) DEFAULT NULL,
  `code` varchar(48) DEFAULT NULL,
  `value` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`product_code_id`),
  KEY `code` (`code`),
  KEY `product_id` (`product_id`)"""),
    ("product_to_category", """
  `product_id` int(11) NOT NULL,
  `category_id` int(11) NOT NULL,
  PRIMARY KEY (`product_id`,`category_id`),
  KEY `category_id` (`category_id`)"""),
    ("product_to_store", """
  `product_id` int(11) NOT NULL,
  `store_id` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`product_id`,`store_id`)"""),
    ("product_image", """
  `product_image_id` int(11) NOT NULL AUTO_INCREMENT,
  `product_id` int(11) DEFAULT NULL,
  `image` varchar(255) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`product_image_id`),
  KEY `product_id` (`product_id`)"""),
    ("product_discount", """
  `product_discount_id` int(11) NOT NULL AUTO_INCREMENT,
  `product_id` int(11) DEFAULT NULL,
  `customer_group_id` int(11) DEFAULT NULL,
  `quantity` int(4) DEFAULT 0,
  `priority` int(5) DEFAULT 1,
  `price` decimal(15,4) DEFAULT 0.0000,
  `type` char(1) DEFAULT 'P',
  `special` tinyint(1) DEFAULT 0,
  `date_start` date DEFAULT NULL,
  `date_end` date DEFAULT NULL,
  PRIMARY KEY (`product_discount_id`),
  KEY `product_id` (`product_id`)"""),
    ("option", """
  `option_id` int(11) NOT NULL AUTO_INCREMENT,
  `type` varchar(32) DEFAULT NULL,
  `validation` varchar(255) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`option_id`)"""),
    ("option_description", """
  `option_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(128) DEFAULT NULL,
  PRIMARY KEY (`option_id`,`language_id`)"""),
    ("option_value", """
  `option_value_id` int(11) NOT NULL AUTO_INCREMENT,
  `option_id` int(11) DEFAULT NULL,
  `image` varchar(255) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`option_value_id`)"""),
    ("option_value_description", """
  `option_value_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `option_id` int(11) DEFAULT NULL,
  `name` varchar(128) DEFAULT NULL,
  PRIMARY KEY (`option_value_id`,`language_id`)"""),
    ("product_option", """
  `product_option_id` int(11) NOT NULL AUTO_INCREMENT,
  `product_id` int(11) DEFAULT NULL,
  `option_id` int(11) DEFAULT NULL,
  `value` text DEFAULT NULL,
  `required` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`product_option_id`)"""),
    ("product_option_value", """
  `product_option_value_id` int(11) NOT NULL AUTO_INCREMENT,
  `product_option_id` int(11) DEFAULT NULL,
  `product_id` int(11) DEFAULT NULL,
  `option_id` int(11) DEFAULT NULL,
  `option_value_id` int(11) DEFAULT 0,
  `quantity` int(3) DEFAULT 0,
  `subtract` tinyint(1) DEFAULT 0,
  `price` decimal(15,4) DEFAULT NULL,
  `price_prefix` varchar(1) DEFAULT NULL,
  `points` int(8) DEFAULT 0,
  `points_prefix` varchar(1) DEFAULT NULL,
  `weight` decimal(15,8) DEFAULT NULL,
  `weight_prefix` varchar(1) DEFAULT NULL,
  PRIMARY KEY (`product_option_value_id`)"""),
    ("seo_url", """
  `seo_url_id` int(11) NOT NULL AUTO_INCREMENT,
  `store_id` int(11) DEFAULT 0,
  `language_id` int(11) DEFAULT NULL,
  `key` varchar(64) DEFAULT NULL,
  `value` varchar(255) DEFAULT NULL,
  `keyword` varchar(768) DEFAULT NULL,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`seo_url_id`),
  KEY `store` (`store_id`),
  KEY `language` (`language_id`),
  KEY `keyword` (`keyword`),
  KEY `query` (`key`,`value`)"""),
    ("customer", """
  `customer_id` int(11) NOT NULL AUTO_INCREMENT,
  `customer_group_id` int(11) DEFAULT 0,
  `store_id` int(11) DEFAULT 0,
  `language_id` int(11) DEFAULT 0,
  `firstname` varchar(32) DEFAULT NULL,
  `lastname` varchar(32) DEFAULT NULL,
  `email` varchar(96) DEFAULT NULL,
  `telephone` varchar(32) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL,
  `custom_field` text DEFAULT NULL,
  `newsletter` tinyint(1) DEFAULT 0,
  `ip` varchar(40) DEFAULT NULL,
  `status` tinyint(1) DEFAULT 0,
  `safe` tinyint(1) DEFAULT 0,
  `commenter` tinyint(1) DEFAULT 0,
  `token` text DEFAULT NULL,
  `code` varchar(40) DEFAULT NULL,
  `date_added` datetime DEFAULT NULL,
  PRIMARY KEY (`customer_id`),
  KEY `email` (`email`)"""),
    ("address", """
  `address_id` int(11) NOT NULL AUTO_INCREMENT,
  `customer_id` int(11) DEFAULT NULL,
  `firstname` varchar(32) DEFAULT NULL,
  `lastname` varchar(32) DEFAULT NULL,
  `company` varchar(60) DEFAULT NULL,
  `address_1` varchar(128) DEFAULT NULL,
  `address_2` varchar(128) DEFAULT NULL,
  `city` varchar(128) DEFAULT NULL,
  `postcode` varchar(10) DEFAULT NULL,
  `country_id` int(11) DEFAULT 0,
  `zone_id` int(11) DEFAULT 0,
  `custom_field` text DEFAULT NULL,
  `default` tinyint(1) DEFAULT 0,
  PRIMARY KEY (`address_id`),
  KEY `customer_id` (`customer_id`)"""),
    ("order", """
  `order_id` int(11) NOT NULL AUTO_INCREMENT,
  `subscription_id` int(11) DEFAULT 0,
  `invoice_no` int(11) DEFAULT 0,
  `invoice_prefix` varchar(26) DEFAULT NULL,
  `transaction_id` varchar(100) DEFAULT NULL,
  `store_id` int(11) DEFAULT 0,
  `store_name` varchar(64) DEFAULT NULL,
  `store_url` varchar(255) DEFAULT NULL,
  `customer_id` int(11) DEFAULT 0,
  `customer_group_id` int(11) DEFAULT 0,
  `firstname` varchar(32) DEFAULT NULL,
  `lastname` varchar(32) DEFAULT NULL,
  `email` varchar(96) DEFAULT NULL,
  `telephone` varchar(32) DEFAULT NULL,
  `custom_field` text DEFAULT NULL,
  `payment_address_id` int(11) DEFAULT 0,
  `payment_firstname` varchar(32) DEFAULT NULL,
  `payment_lastname` varchar(32) DEFAULT NULL,
  `payment_company` varchar(60) DEFAULT NULL,
  `payment_address_1` varchar(128) DEFAULT NULL,
  `payment_address_2` varchar(128) DEFAULT NULL,
  `payment_city` varchar(128) DEFAULT NULL,
  `payment_postcode` varchar(10) DEFAULT NULL,
  `payment_country` varchar(128) DEFAULT NULL,
  `payment_country_id` int(11) DEFAULT 0,
  `payment_zone` varchar(128) DEFAULT NULL,
  `payment_zone_id` int(11) DEFAULT 0,
  `payment_address_format` text DEFAULT NULL,
  `payment_custom_field` text DEFAULT NULL,
  `payment_method` text DEFAULT NULL,
  `shipping_address_id` int(11) DEFAULT NULL,
  `shipping_firstname` varchar(32) DEFAULT NULL,
  `shipping_lastname` varchar(32) DEFAULT NULL,
  `shipping_company` varchar(60) DEFAULT NULL,
  `shipping_address_1` varchar(128) DEFAULT NULL,
  `shipping_address_2` varchar(128) DEFAULT NULL,
  `shipping_city` varchar(128) DEFAULT NULL,
  `shipping_postcode` varchar(10) DEFAULT NULL,
  `shipping_country` varchar(128) DEFAULT NULL,
  `shipping_country_id` int(11) DEFAULT 0,
  `shipping_zone` varchar(128) DEFAULT NULL,
  `shipping_zone_id` int(11) DEFAULT 0,
  `shipping_address_format` text DEFAULT NULL,
  `shipping_custom_field` text DEFAULT NULL,
  `shipping_method` text DEFAULT NULL,
  `comment` text DEFAULT NULL,
  `total` decimal(15,4) DEFAULT 0.0000,
  `order_status_id` int(11) DEFAULT 0,
  `affiliate_id` int(11) DEFAULT 0,
  `commission` decimal(15,4) DEFAULT NULL,
  `marketing_id` int(11) DEFAULT 0,
  `tracking` varchar(64) DEFAULT NULL,
  `language_id` int(11) DEFAULT NULL,
  `language_code` varchar(5) DEFAULT NULL,
  `currency_id` int(11) DEFAULT NULL,
  `currency_code` varchar(3) DEFAULT NULL,
  `currency_value` decimal(15,8) DEFAULT 1.00000000,
  `ip` varchar(40) DEFAULT NULL,
  `forwarded_ip` varchar(40) DEFAULT NULL,
  `user_agent` varchar(255) DEFAULT NULL,
  `accept_language` varchar(255) DEFAULT NULL,
  `date_added` datetime DEFAULT NULL,
  `date_modified` datetime DEFAULT NULL,
  PRIMARY KEY (`order_id`),
  KEY `email` (`email`),
  KEY `order_status_id` (`order_status_id`)"""),
    ("order_product", """
  `order_product_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) DEFAULT NULL,
  `product_id` int(11) DEFAULT NULL,
  `master_id` int(11) DEFAULT 0,
  `name` varchar(255) DEFAULT NULL,
  `model` varchar(64) DEFAULT NULL,
  `quantity` int(4) DEFAULT 1,
  `price` decimal(15,4) DEFAULT 0.0000,
  `total` decimal(15,4) DEFAULT 0.0000,
  `tax` decimal(15,4) DEFAULT 0.0000,
  `reward` int(8) DEFAULT 0,
  PRIMARY KEY (`order_product_id`),
  KEY `order_id` (`order_id`)"""),
    ("order_option", """
  `order_option_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) DEFAULT NULL,
  `order_product_id` int(11) DEFAULT NULL,
  `product_option_id` int(11) DEFAULT NULL,
  `product_option_value_id` int(11) DEFAULT 0,
  `name` varchar(255) DEFAULT NULL,
  `value` text DEFAULT NULL,
  `type` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`order_option_id`)"""),
    ("order_total", """
  `order_total_id` int(10) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) DEFAULT NULL,
  `extension` varchar(255) DEFAULT NULL,
  `code` varchar(32) DEFAULT NULL,
  `title` varchar(255) DEFAULT NULL,
  `value` decimal(15,4) DEFAULT 0.0000,
  `sort_order` int(3) DEFAULT 0,
  PRIMARY KEY (`order_total_id`),
  KEY `order_id` (`order_id`)"""),
    ("order_history", """
  `order_history_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) DEFAULT NULL,
  `order_status_id` int(11) DEFAULT 0,
  `notify` tinyint(1) DEFAULT 0,
  `comment` text DEFAULT NULL,
  `date_added` datetime DEFAULT NULL,
  PRIMARY KEY (`order_history_id`)"""),
]

_COLUMN = re.compile(r"^\s*`(\w+)` ", re.MULTILINE)


def columns_of(body: str) -> list[str]:
    """Column names of a CREATE TABLE body, in order (key lines start with a keyword, not a backquote)."""
    return _COLUMN.findall(body)


def schema(p: str) -> str:
    # tables of the earlier, reduced ocmini schema are all in TABLES, so this drops them too
    names = ", ".join(f"`{p}{name}`" for name, _ in TABLES)
    parts = [f"DROP TABLE IF EXISTS {names};\n"]
    for name, body in TABLES:
        parts.append(f"\nCREATE TABLE `{p}{name}` ({body}\n) {ENGINE};\n")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Reference data: settings, languages, currencies, statuses, classes, countries, options.

def write_reference(w: Writer, store_url: str) -> None:
    w.add("language", 1, "English", "en-gb", "en-gb,en", None, 1, 1)
    for i, name in enumerate(ORDER_STATUSES):
        w.add("order_status", i + 1, 1, name)
    for sid, name in STOCK_STATUSES:
        w.add("stock_status", sid, 1, name)
    modified = "2024-01-01 09:00:00"
    w.add("currency", 1, "Pound Sterling", "GBP", "£", "", 2, Raw("0.61250001"), 1, modified)
    w.add("currency", 2, "US Dollar", "USD", "$", "", 2, Raw("1.00000000"), 1, modified)
    w.add("currency", 3, "Euro", "EUR", "", "€", 2, Raw("0.78460002"), 1, modified)
    # The first twelve keep the ids earlier versions gave them; the rest are what a 4.1 store also has.
    settings = [
        ("config_name", STORE_NAME, 0),
        ("config_owner", "CartBridge Tests", 0),
        ("config_email", "store@example.com", 0),
        ("config_url", store_url, 0),
        ("config_timezone", "UTC", 0),
        ("config_currency", "USD", 0),
        ("config_language", "en-gb", 0),
        ("config_language_catalog", "en-gb", 0),
        ("config_language_admin", "en-gb", 0),
        ("config_country_id", "222", 0),
        ("config_weight_class_id", "1", 0),
        ("config_length_class_id", "1", 0),
        ("config_zone_id", "3563", 0),
        ("config_customer_group_id", "1", 0),
        ("config_customer_group_display", '["1"]', 1),
        ("config_address_format_id", "1", 0),
        ("config_stock_status_id", "7", 0),
        ("config_order_status_id", "1", 0),
        ("config_processing_status", '["1","2","3","4"]', 1),
        ("config_complete_status", '["3","4"]', 1),
        ("config_invoice_prefix", "INV-2023-00", 0),
        ("config_tax", "1", 0),
        ("config_checkout_guest", "1", 0),
        ("config_telephone", "+44 161 496 0000", 0),
        ("config_address", "1 Example Street\r\nPreston", 0),
    ]
    for i, (key, value, serialized) in enumerate(settings):
        w.add("setting", i + 1, 0, "config", key, value, serialized)

    w.add("customer_group", 1, 0, 1)
    w.add("customer_group", 2, 1, 2)
    w.add("customer_group_description", 1, 1, "Default", "Everyone who signs up")
    w.add("customer_group_description", 2, 1, "Wholesale", "Trade accounts, approved by hand")
    w.add("address_format", 1, "Address Format", ADDRESS_FORMAT)
    for cid, iso2, iso3, name, postcode_required, zones, _ in COUNTRIES:
        w.add("country", cid, iso2, iso3, 1, postcode_required, 1)
        w.add("country_description", cid, 1, name)
        for zid, code, zname, _cities in zones:
            w.add("zone", zid, cid, code, 1)
            w.add("zone_description", zid, 1, zname)
    for wid, value, title, unit in [(1, "1.00000000", "Kilogram", "kg"), (2, "1000.00000000", "Gram", "g"),
                                    (3, "2.20460000", "Pound", "lb"), (4, "35.27400000", "Ounce", "oz")]:
        w.add("weight_class", wid, Raw(value))
        w.add("weight_class_description", wid, 1, title, unit)
    for lid, value, title, unit in [(1, "1.00000000", "Centimeter", "cm"), (2, "10.00000000", "Millimeter", "mm"),
                                    (3, "0.39370000", "Inch", "in")]:
        w.add("length_class", lid, Raw(value))
        w.add("length_class_description", lid, 1, title, unit)
    w.add("tax_class", TAXABLE, "Taxable Goods", "Goods taxed at the standard rate")
    w.add("tax_class", DOWNLOADABLE, "Downloadable Products", "Digital goods")
    for iid, (name, code) in enumerate([("Stock Keeping Unit", "SKU"), ("Universal Product Code", "UPC"),
                                        ("European Article Number", "EAN"), ("Japanese Article Number", "JAN"),
                                        ("International Standard Book Number", "ISBN"),
                                        ("Manufacturer Part Number", "MPN")], start=1):
        w.add("identifier", iid, name, code, None, 1)
    for oid, otype, name, sort, values in OPTIONS:
        w.add("option", oid, otype, None, sort)
        w.add("option_description", oid, 1, name)
        for vsort, (vid, vname) in enumerate(values, start=1):
            w.add("option_value", vid, oid, "", vsort)
            w.add("option_value_description", vid, 1, oid, vname)


# ---------------------------------------------------------------------------------------------------------------
# Catalog: manufacturers, categories, products with their codes, images, specials, options and variants.

class Seo:
    """seo_url rows; ids in the order they are added."""

    def __init__(self, w: Writer):
        self.w, self.next_id = w, 1

    def add(self, key: str, value: str, keyword: str, sort_order: int = 0) -> None:
        self.w.add("seo_url", self.next_id, 0, 1, key, value, keyword, sort_order)
        self.next_id += 1


def write_manufacturers(w: Writer, seo: Seo, count: int) -> int:
    for mid in range(1, count + 1):
        base = MANUFACTURERS[(mid - 1) % len(MANUFACTURERS)]
        name = base if mid <= len(MANUFACTURERS) else f"{base} {mid}"
        w.add("manufacturer", mid, h(name), f"catalog/demo/brand-{mid}.png" if mid % 3 else "", 0)
        w.add("manufacturer_to_store", mid, 0)
        seo.add("manufacturer_id", str(mid), slug(name))
    return count


def write_categories(w: Writer, seo: Seo, rng: random.Random, extra: int) -> list[int]:
    """The fixed categories plus `extra` generated ones; returns the ids products may be filed under."""
    cats = list(CATEGORIES)
    depth: dict[int, int] = {}
    for cid, parent, _, _ in cats:
        depth[cid] = depth[parent] + 1 if parent else 0
    can_have_children = [cid for cid, d in depth.items() if d < MAX_DEPTH - 1]
    for cid in range(len(CATEGORIES) + 1, len(CATEGORIES) + extra + 1):
        parent = 0 if rng.random() < 0.1 else rng.choice(can_have_children)
        depth[cid] = depth[parent] + 1 if parent else 0
        if depth[cid] < MAX_DEPTH - 1:
            can_have_children.append(cid)
        cats.append((cid, parent, f"{rng.choice(CATEGORY_WORDS)} {cid}", 0 if rng.random() < 0.05 else 1))
    parent_of = {cid: parent for cid, parent, _, _ in cats}
    names = {cid: name for cid, _, name, _ in cats}
    for cid, parent, name, status in cats:
        image = f"catalog/demo/category-{cid}.jpg" if cid % 2 else ""
        w.add("category", cid, image, parent, cid, status)
        desc = h(f"<p>{name}: everything in this category.</p>") if cid % 3 else ""
        w.add("category_description", cid, 1, h(name), desc, h(name), "", "")
        chain = [cid]
        while parent_of[chain[-1]]:
            chain.append(parent_of[chain[-1]])
        chain.reverse()  # root first: level 0 is the top-level ancestor, as OpenCart builds the path
        for level, path_id in enumerate(chain):
            w.add("category_path", cid, path_id, level)
        w.add("category_to_store", cid, 0)
        seo.add("path", "_".join(map(str, chain)), "/".join(slug(names[c]) for c in chain))
    return [cid for cid, _, _, _ in cats]


class Product:
    """What orders (and variants) need to know about a product. name is as stored (HTML entities), raw_name not."""
    __slots__ = ("pid", "master_id", "raw_name", "name", "model", "price", "taxable", "shipping", "manufacturer_id",
                 "options", "added")

    def __init__(self, pid, master_id, raw_name, model, price, taxable, shipping, manufacturer_id, options, added):
        self.pid, self.master_id, self.raw_name, self.name, self.model = pid, master_id, raw_name, h(raw_name), model
        self.price, self.taxable, self.shipping, self.manufacturer_id = price, taxable, shipping, manufacturer_id
        self.options, self.added = options, added


class Ids:
    """Next free id per auto-increment table."""

    def __init__(self):
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        n = self.next.get(table, 1)
        self.next[table] = n + 1
        return n


OPTION_BY_ID = {o[0]: o for o in OPTIONS}


def option_plan(rng: random.Random) -> list[tuple]:
    """For a product with options: [(option_id, [(option_value_id, price_cents, prefix, weight_thousandths)])].
    One select option (Size or Color), sometimes a second one (the other select, or the radio Material)."""
    first = rng.choice([1, 2])
    chosen_ids = [first] if rng.random() < 0.6 else [first, rng.choice([3 - first, 3])]
    plan = []
    for oid in sorted(chosen_ids):
        values = OPTION_BY_ID[oid][4]
        chosen = sorted(rng.sample(values, rng.randrange(2, len(values) + 1)))
        rows = []
        for vid, _ in chosen:
            price = rng.choice([0, 0, 0, 100, 200, 500])
            prefix = "-" if price and rng.random() < 0.1 else "+"
            rows.append((vid, price, prefix, rng.choice([0, 0, 50, 100])))
        plan.append((oid, rows))
    return plan


def write_options(w: Writer, ids: Ids, rng: random.Random, pid: int, plan: list[tuple],
                  engraving: bool) -> list[tuple]:
    """product_option(_value) rows for one product; returns what order_option rows need:
    [(product_option_id, type, name, [(product_option_value_id, value_name, price_cents, prefix)])]."""
    out = []
    for oid, rows in plan:
        _, otype, oname, _, values = OPTION_BY_ID[oid]
        names = dict(values)
        poid = ids("product_option")
        w.add("product_option", poid, pid, oid, "", 1)
        povs = []
        for vid, price, prefix, weight in rows:
            povid = ids("product_option_value")
            w.add("product_option_value", povid, poid, pid, oid, vid, rng.randrange(0, 200), 1, money(price),
                  prefix, 0, "+", dec8(weight), "+")
            povs.append((povid, names[vid], price, prefix))
        out.append((poid, otype, oname, povs))
    if engraving:
        poid = ids("product_option")
        w.add("product_option", poid, pid, 4, "", 0)
        out.append((poid, "text", "Engraving", []))
    return out


def write_products(w: Writer, seo: Seo, ids: Ids, rng: random.Random, count: int, category_ids: list[int],
                   manufacturers: int) -> list[Product]:
    products: list[Product] = []
    # products with select options, each with its option plan, so a variant can copy them
    masters: list[tuple[Product, list[tuple]]] = []
    code_values = {"SKU": None, "UPC": 12, "EAN": 13, "JAN": 13, "ISBN": 13, "MPN": None}
    for pid in range(1, count + 1):
        added = spread(pid - 1, count, 0.8, rng)
        modified = added + rng.randrange(0, 60 * 86400)
        # Which product has what is fixed by its id, so even the 25-product store has each kind (and the
        # shares are exact): options 1 in 4, a variant 1 in 25, a special 1 in 8, a quantity discount 1 in 20.
        variant_of = rng.choice(masters[-8:]) if masters and pid % 25 == 12 else None
        if variant_of:
            # A 4.1 variant: its own product row (master_id set) that copies the master and overrides some fields.
            # `variant` maps the master's product_option_id to the chosen product_option_value_id; `override`
            # names the fields the variant does not take from its master. It carries copies of the master's options.
            master, master_plan = variant_of
            picked = [(poid, povs[rng.randrange(len(povs))]) for poid, otype, _, povs in master.options
                      if otype == "select"]
            name = f"{master.raw_name} – " + " / ".join(v[1] for _, v in picked)
            model = f"{master.model}-V{pid}"
            price, taxable, shipping, mfr = master.price, master.taxable, master.shipping, master.manufacturer_id
            variant = json.dumps({str(poid): str(v[0]) for poid, v in picked}, separators=(",", ":"))
            override = json.dumps({"product_description": {"1": {"name": "1"}}, "model": "1"}, separators=(",", ":"))
            option_plan_rows = master_plan
            engraving = False
            master_id = master.pid
        else:
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {pid}"
            model = f"MINI-{pid:05d}"
            price = rng.randrange(100, 50000)
            taxable = pid % 12 != 3  # 1 in 12 is downloadable: tax class 10, nothing to ship
            shipping = 1 if taxable else 0
            mfr = rng.randrange(1, manufacturers + 1) if rng.random() < 0.85 else 0
            variant = override = ""
            option_plan_rows = option_plan(rng) if pid % 4 == 1 else []
            engraving = pid % 30 == 13  # a text option: no values, the order carries what the customer typed
            master_id = 0
        # 1 in 14 out of stock, 1 in 14 nearly so (or out too), the rest in stock
        quantity = (0 if pid % 14 == 7 else rng.choice([0, 1, 5])) if pid % 7 == 0 else rng.randrange(1, 500)
        status = 0 if pid % 10 == 0 else 1
        stock_status = 5 if quantity == 0 else rng.choice([6, 7, 7, 7, 8])
        image = f"catalog/demo/cb-{pid:06d}-1.jpg" if pid % 15 else ""
        grams = rng.randrange(50, 25000) if shipping else 0
        # 1 kg and up in kilograms (class 1), lighter in grams (class 2): dec8 takes thousandths of the unit
        weight, weight_class = (dec8(grams), 1) if grams >= 1000 or not grams else (dec8(grams * 1000), 2)
        w.add_dict("product", {
            "product_id": pid, "master_id": master_id, "model": model, "location": "",
            "variant": variant, "override": override, "quantity": quantity, "stock_status_id": stock_status,
            "image": image, "manufacturer_id": mfr, "shipping": shipping, "price": money(price),
            "points": rng.choice([0, 0, 0, 100, 200]), "tax_class_id": TAXABLE if taxable else DOWNLOADABLE,
            "date_available": day(added), "weight": weight, "weight_class_id": weight_class,
            "length": dec8(rng.randrange(0, 120000)),
            "width": dec8(rng.randrange(0, 80000)), "height": dec8(rng.randrange(0, 60000)), "length_class_id": 1,
            "subtract": 1, "minimum": 1, "rating": 0, "sort_order": 0, "status": status,
            "date_added": ts(added), "date_modified": ts(modified),
        })
        hname = h(name)
        tags = ",".join(rng.sample(TAGS, rng.randrange(0, 3)))
        w.add("product_description", pid, 1, hname,
              h(f"<p>{name}: synthetic product #{pid} for CartBridge tests.</p>\r\n<ul><li>Model {model}</li></ul>"),
              tags, hname, h(f"Buy {name}") if pid % 4 == 0 else "", "")
        write_codes(w, ids, rng, pid, code_values)
        cats = rng.sample(category_ids, 2) if rng.random() < 0.3 and len(category_ids) > 1 \
            else [rng.choice(category_ids)]
        for cid in sorted(cats):
            w.add("product_to_category", pid, cid)
        w.add("product_to_store", pid, 0)
        for n in range(rng.choice([0, 0, 1, 2, 3]) if image else 0):
            w.add("product_image", ids("product_image"), pid, f"catalog/demo/cb-{pid:06d}-{n + 2}.jpg", n)
        write_discounts(w, ids, rng, pid, price, added)
        if pid % 2 == 0:
            seo.add("product_id", str(pid), f"{slug(name)}-{pid}", 1)
        plan = write_options(w, ids, rng, pid, option_plan_rows, engraving) if option_plan_rows or engraving else []
        product = Product(pid, master_id, name, model, price, taxable, shipping, mfr, plan, added)
        products.append(product)
        if not master_id and any(otype == "select" for _, otype, _, _ in plan):
            masters.append((product, option_plan_rows))
    return products


def write_codes(w: Writer, ids: Ids, rng: random.Random, pid: int, digits: dict) -> None:
    """4.1 keeps SKU and the other codes in product_code, one row per code a product has."""
    for code, n in digits.items():
        if code == "SKU":
            value = f"SKU{pid:06d}" if pid % 5 else None
        elif code == "MPN":
            value = f"MPN-{rng.randrange(10**5, 10**6)}" if rng.random() < 0.2 else None
        elif code in ("UPC", "EAN"):
            value = str(rng.randrange(10 ** (n - 1), 10 ** n)) if rng.random() < 0.3 else None
        else:  # JAN and ISBN: rare
            value = str(rng.randrange(10 ** (n - 1), 10 ** n)) if rng.random() < 0.03 else None
        if value:
            w.add("product_code", ids("product_code"), pid, code, value)


def write_discounts(w: Writer, ids: Ids, rng: random.Random, pid: int, price: int, added: int) -> None:
    """1 in 8 products has a special (special = 1), 1 in 20 a quantity discount (special = 0)."""
    if pid % 8 == 3:
        start = added + rng.randrange(0, 200) * 86400
        roll = rng.random()
        # some specials never end ('0000-00-00', as OpenCart stores "no end"), some end in the far future
        end = NEVER if roll < 0.2 else "2035-12-31" if roll < 0.4 else day(start + rng.randrange(7, 90) * 86400)
        if pid % 32 != 11:  # 1 special in 4 is a percentage
            kind, value = "F", max(1, price * rng.randrange(60, 95) // 100)
        else:
            kind, value = "P", rng.choice([10, 15, 20, 25]) * 100  # percent off, stored like a price
        w.add("product_discount", ids("product_discount"), pid, 1, 1, 1, money(value), kind, 1, day(start), end)
    if pid % 20 == 6:
        w.add("product_discount", ids("product_discount"), pid, 1, 10, 1, money(max(1, price * 90 // 100)), "F", 0,
              NEVER, NEVER)


# ---------------------------------------------------------------------------------------------------------------
# Customers and addresses

class Customer:
    """What orders copy from a customer (names as stored, with HTML entities)."""
    __slots__ = ("cid", "group", "first", "last", "email", "telephone", "addresses", "added")

    def __init__(self, cid, group, first, last, email, telephone, addresses, added):
        self.cid, self.group, self.first, self.last, self.email = cid, group, first, last, email
        self.telephone, self.addresses, self.added = telephone, addresses, added


def postcode(rng: random.Random, pattern: str) -> str:
    if pattern == "gb":
        return f"{rng.choice(['M', 'PR', 'NE', 'SW', 'E'])}{rng.randrange(1, 20)} {rng.randrange(1, 10)}" \
               f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    if pattern == "us":
        return f"{rng.randrange(10000, 99999)}"
    return f"{rng.randrange(10000, 99999):05d}"


def telephone(rng: random.Random, iso2: str) -> str:
    # numbers in ranges set aside for fiction where the country has one
    if iso2 == "GB":
        return f"+44 161 496 0{rng.randrange(0, 1000):03d}"
    if iso2 == "US":
        return f"+1 202-555-01{rng.randrange(0, 100):02d}"
    return f"+{49 if iso2 == 'DE' else 33} {rng.randrange(10**8, 10**9)}"


def random_address(rng: random.Random) -> dict:
    """A place: country and zone ids plus the names an order copies."""
    country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
    cid, iso2, _, cname, _, zones, pattern = country
    if zones:
        zid, _, zname, cities = rng.choice(zones)
        city = rng.choice(cities)
    else:
        zid, zname, city = 0, "", rng.choice(FR_CITIES)
    return {"country_id": cid, "country": cname, "iso2": iso2, "zone_id": zid, "zone": zname, "city": city,
            "postcode": postcode(rng, pattern), "address_1": f"{rng.randrange(1, 250)} {rng.choice(STREETS[iso2])}",
            "address_2": rng.choice(["", "", "", "Flat 2", "Unit 4\\B", "c/o Reception"]),
            "company": rng.choice(COMPANIES)}


def write_customers(w: Writer, ids: Ids, rng: random.Random, count: int) -> list[Customer]:
    customers = []
    for cid in range(1, count + 1):
        added = spread(cid - 1, count, 0.9, rng)
        first, first_ascii = rng.choice(FIRST_NAMES)
        last, last_ascii = rng.choice(LAST_NAMES)
        email = f"{first_ascii}.{last_ascii}.{cid}@example.com"  # the id keeps it unique
        places = [random_address(rng) for _ in range(1 if rng.random() < 0.7 else 2)]
        phone = telephone(rng, places[0]["iso2"])
        # not a hash of any password: a placeholder of bcrypt's shape, as the column holds password_hash()
        pw = "$2y$10$" + hashlib.sha256(email.encode()).hexdigest()[:53]
        group = 2 if cid % 25 == 0 else 1  # a few wholesale accounts
        w.add_dict("customer", {
            "customer_id": cid, "customer_group_id": group, "store_id": 0, "language_id": 1,
            "firstname": h(first), "lastname": h(last), "email": email, "telephone": phone, "password": pw,
            "custom_field": "[]", "newsletter": 1 if rng.random() < 0.3 else 0,
            "ip": f"198.51.100.{rng.randrange(1, 255)}", "status": 0 if cid % 17 == 0 else 1, "safe": 0,
            "commenter": 0, "token": "", "code": "", "date_added": ts(added),
        })
        addresses = []
        for n, place in enumerate(places):
            aid = ids("address")
            w.add("address", aid, cid, h(first), h(last), h(place["company"]), h(place["address_1"]),
                  h(place["address_2"]), h(place["city"]), place["postcode"], place["country_id"], place["zone_id"],
                  "[]", 1 if n == 0 else 0)
            addresses.append((aid, place))
        customers.append(Customer(cid, group, h(first), h(last), email, phone, addresses, added))
    return customers


# ---------------------------------------------------------------------------------------------------------------
# Orders

def write_orders(w: Writer, ids: Ids, rng: random.Random, count: int, products: list[Product],
                 customers: list[Customer], store_url: str) -> None:
    if not products:
        return  # an order needs something to order
    product_added = [p.added for p in products]
    customer_added = [c.added for c in customers]
    downloads = [p for p in products if not p.shipping]
    download_added = [p.added for p in downloads]
    statuses, weights = zip(*STATUS_WEIGHTS)
    invoice_no = 0
    for oid in range(1, count + 1):
        # never before the first product (only possible in stores of a handful of products)
        added = max(int(0.1 * SPAN) + spread(oid - 1, count, 0.9, rng), product_added[0] + 3600)
        # only what existed at the time: products and customers added before this order
        n_products = max(1, bisect.bisect_right(product_added, added))
        n_customers = bisect.bisect_right(customer_added, added)
        # fixed by the id, so that small stores have them too: 1 in 5 a guest order, 1 in 20 a missing order
        customer = customers[rng.randrange(n_customers)] if n_customers and oid % 5 != 2 else None
        status = 0 if oid % 20 == 7 else rng.choices(statuses, weights=weights)[0]
        currency_id, currency_code, currency_value, _ = rng.choices(
            ORDER_CURRENCIES, weights=[c[3] for c in ORDER_CURRENCIES])[0]

        # 1 order in 10 is a single downloadable product: no shipping address, method or total
        n_downloads = bisect.bisect_right(download_added, added)
        only = downloads[rng.randrange(n_downloads)] if n_downloads and oid % 10 == 4 else None
        lines = write_order_lines(w, ids, rng, oid, products, n_products, only)
        sub_total = sum(unit * qty for _, unit, _, qty in lines)
        tax = sum(unit_tax * qty for _, _, unit_tax, qty in lines)
        ships = any(p.shipping for p, _, _, _ in lines)
        shipping = SHIPPING_CENTS if ships else 0
        shipping_tax = shipping * VAT_PERCENT // 100
        tax += shipping_tax
        total = sub_total + shipping + tax
        totals = [("sub_total", "Sub-Total", sub_total, 1)]
        if ships:
            totals.append(("shipping", "Flat Shipping Rate", shipping, 3))
        if tax:
            totals.append(("tax", f"VAT ({VAT_PERCENT}%)", tax, 5))
        totals.append(("total", "Total", total, 9))
        for code, title, value, sort in totals:
            w.add("order_total", ids("order_total"), oid, "opencart", code, title, money(value), sort)

        if customer:
            first, last, email, phone = customer.first, customer.last, customer.email, customer.telephone
            pay_aid, pay = customer.addresses[0]
            ship_aid, ship = customer.addresses[-1]
        else:
            first, last = (h(rng.choice(FIRST_NAMES)[0]), h(rng.choice(LAST_NAMES)[0]))
            email = f"guest{oid}@example.org"
            pay = ship = random_address(rng)
            pay_aid = ship_aid = 0
            phone = telephone(rng, pay["iso2"])
        last_change = write_history(w, ids, rng, oid, status, added)
        if status in (3, 4):
            invoice_no += 1
        row = {
            "order_id": oid, "subscription_id": 0, "invoice_no": invoice_no if status in (3, 4) else 0,
            "invoice_prefix": "INV-2023-00", "transaction_id": "", "store_id": 0, "store_name": STORE_NAME,
            "store_url": store_url, "customer_id": customer.cid if customer else 0,
            "customer_group_id": customer.group if customer else 1, "firstname": first, "lastname": last, "email": email, "telephone": phone,
            "custom_field": "[]", "comment": h(rng.choice(ORDER_COMMENTS)), "total": money(total),
            "order_status_id": status, "affiliate_id": 0, "commission": money(0), "marketing_id": 0,
            "tracking": "", "language_id": 1, "language_code": "en-gb", "currency_id": currency_id,
            "currency_code": currency_code, "currency_value": Raw(currency_value),
            "ip": f"203.0.113.{rng.randrange(1, 255)}", "forwarded_ip": "", "user_agent": USER_AGENT,
            "accept_language": "en-GB,en;q=0.9", "date_added": ts(added), "date_modified": ts(last_change),
            "payment_method": json.dumps(rng.choice(PAYMENT_METHODS), separators=(",", ":")),
            "payment_address_id": pay_aid, "payment_custom_field": "[]",
        }
        row.update(order_address("payment", first, last, pay))
        if ships:
            row.update(order_address("shipping", first, last, ship))
            row["shipping_address_id"] = ship_aid
            row["shipping_method"] = json.dumps({"name": "Flat Shipping Rate", "code": "flat.flat", "cost": 5.0,
                                                 "tax_class_id": TAXABLE, "text": "$5.00"}, separators=(",", ":"))
            row["shipping_custom_field"] = "[]"
        else:
            # nothing to ship: OpenCart leaves the shipping address and method empty
            row.update(order_address("shipping", "", "", None))
            row.update({"shipping_address_id": 0, "shipping_method": "", "shipping_custom_field": ""})
        w.add_dict("order", row)


def order_address(kind: str, first: str, last: str, place: dict | None) -> dict:
    """The address columns an order copies from the address book (names, not only ids)."""
    p = place or {}
    return {
        f"{kind}_firstname": first, f"{kind}_lastname": last, f"{kind}_company": h(p.get("company", "")),
        f"{kind}_address_1": h(p.get("address_1", "")), f"{kind}_address_2": h(p.get("address_2", "")),
        f"{kind}_city": h(p.get("city", "")), f"{kind}_postcode": p.get("postcode", ""),
        f"{kind}_country": p.get("country", ""), f"{kind}_country_id": p.get("country_id", 0),
        f"{kind}_zone": p.get("zone", ""), f"{kind}_zone_id": p.get("zone_id", 0),
        f"{kind}_address_format": ADDRESS_FORMAT if place else "",
    }


def write_order_lines(w: Writer, ids: Ids, rng: random.Random, oid: int, products: list[Product],
                      available: int, only: Product | None) -> list[tuple]:
    """1-4 order_product rows (distinct products among the first `available`, or just `only`) with their
    order_option rows. Returns [(product, unit_price_cents, unit_tax_cents, quantity)]."""
    lines = []
    want = 1 if only else rng.choice([1, 1, 1, 2, 2, 3, 4])
    seen = set()
    for _ in range(want):
        product = only or products[rng.randrange(available)]
        if product.pid in seen:
            continue
        seen.add(product.pid)
        qty = rng.choice([1, 1, 1, 2, 3])
        opid = ids("order_product")
        unit = product.price
        chosen = []
        for poid, otype, oname, povs in product.options:
            if otype == "text":
                if rng.random() < 0.5:
                    chosen.append((poid, 0, oname, h(rng.choice(ENGRAVINGS)), otype))
                continue
            povid, vname, price, prefix = povs[rng.randrange(len(povs))]
            unit += -price if prefix == "-" else price  # option prices change the unit price, as at checkout
            chosen.append((poid, povid, oname, vname, otype))
        unit = max(unit, 0)
        unit_tax = unit * VAT_PERCENT // 100 if product.taxable else 0
        w.add("order_product", opid, oid, product.pid, product.master_id, product.name, product.model, qty,
              money(unit), money(unit * qty), money(unit_tax), 0)
        for poid, povid, oname, value, otype in chosen:
            w.add("order_option", ids("order_option"), oid, opid, poid, povid, oname, value, otype)
        lines.append((product, unit, unit_tax, qty))
    return lines


def write_history(w: Writer, ids: Ids, rng: random.Random, oid: int, status: int, added: int) -> int:
    """History rows for one order; returns the time of the last one (the order's date_modified)."""
    if status == 0:
        return added  # a missing order: checkout never confirmed, so no history
    w.add("order_history", ids("order_history"), oid, 1, 0, "", ts(added))
    when = added
    steps = {1: [], 2: [2], 3: [2, 3], 4: [2, 3, 4] if rng.random() < 0.5 else [4], 5: [5], 6: [4, 6]}[status]
    for step in steps:
        when += rng.randrange(3600, 5 * 86400)
        w.add("order_history", ids("order_history"), oid, step, 1 if step in (3, 4) or rng.random() < 0.3 else 0,
              HISTORY_COMMENTS[step].format(n=oid), ts(when))
    return when


# ---------------------------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=25, help="number of products, variants included (default 25)")
    ap.add_argument("--customers", type=int, default=None, help="number of customers (default max(12, products/10))")
    ap.add_argument("--orders", type=int, default=None, help="number of orders (default max(20, products/5))")
    ap.add_argument("--seed", type=int, default=20240101, help="random seed (default 20240101)")
    ap.add_argument("--store-url", default="http://127.0.0.1/", help="value of the config_url setting")
    ap.add_argument("--prefix", default="oc_", help="table prefix (default oc_)")
    args = ap.parse_args()
    customers = max(12, args.products // 10) if args.customers is None else args.customers
    orders = max(20, args.products // 5) if args.orders is None else args.orders
    for flag, value in (("--products", args.products), ("--customers", customers), ("--orders", orders)):
        if value < 0:
            ap.error(f"{flag} must be >= 0")
    if not re.fullmatch(r"\w*", args.prefix, re.ASCII):
        ap.error("--prefix may only hold letters, digits and _")

    # one generator per part, so that e.g. more orders do not change the products
    seed = args.seed
    rng_catalog, rng_customers, rng_orders = (random.Random(f"{seed}/{part}") for part in
                                              ("catalog", "customers", "orders"))
    p = args.prefix
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    out = sys.stdout
    out.write("-- CartBridge ocmini: OpenCart-4.1-shaped test data, "
              "generated by scripts/testenv/gen_opencart_mini.py\n")
    out.write(f"-- products={args.products} customers={customers} orders={orders} seed={seed}\n")
    # strict, so a value that does not fit fails the load instead of being cut; '0000-00-00' stays allowed
    out.write("SET NAMES utf8mb4;\n"
              "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION';\n")
    out.write("SET FOREIGN_KEY_CHECKS = 0;\nSET UNIQUE_CHECKS = 0;\n")
    out.write(schema(p))
    out.write("\nSTART TRANSACTION;\n")

    w = Writer(out, p)
    for name, body in TABLES:
        w.table(name, columns_of(body))
    write_reference(w, args.store_url)
    seo = Seo(w)
    seo.add("language", "en-gb", "en-gb", -2)  # 4.1 routes the language code through seo_url too
    ids = Ids()
    manufacturers = write_manufacturers(w, seo, len(MANUFACTURERS) + args.products // 1000)
    category_ids = write_categories(w, seo, rng_catalog, args.products // 200)
    products = write_products(w, seo, ids, rng_catalog, args.products, category_ids, manufacturers)
    people = write_customers(w, ids, rng_customers, customers)
    write_orders(w, ids, rng_orders, orders, products, people, args.store_url)
    w.flush_all()
    out.write("COMMIT;\nSET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
