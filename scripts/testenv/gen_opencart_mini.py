#!/usr/bin/env python3
"""Emit SQL for a tiny OpenCart-shaped store database ("ocmini").

This is CartBridge's own generator, not a copy of OpenCart's installer: it creates only the tables and columns
the project's tests need, named and typed the way OpenCart 4.x names them (prefix `oc_`), and fills them with
deterministic synthetic data (same --products/--seed => byte-identical output).

    gen_opencart_mini.py [--products N] [--seed S] [--store-url URL] [--prefix oc_] > ocmini.sql

Standard library only. The SQL does not name a database: load it with `mariadb <db> < ocmini.sql`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys

BATCH = 500

ADJECTIVES = ["Classic", "Compact", "Deluxe", "Eco", "Heavy-Duty", "Lightweight", "Modern", "Portable",
              "Premium", "Rugged", "Smart", "Vintage", "Wireless", "Ergonomic", "Café", "Grüne", "Ёлочная"]
NOUNS = ["Backpack", "Blender", "Camera", "Chair", "Desk Lamp", "Headphones", "Kettle", "Keyboard",
         "Monitor", "Mug", "Notebook", "Speaker", "Tent", "Umbrella", "Watch", "Tasse", "Игрушка"]

# (category_id, parent_id, name): three top-level categories, each with one child.
CATEGORIES = [
    (1, 0, "Electronics"),
    (2, 0, "Home & Kitchen"),
    (3, 0, "Outdoor"),
    (4, 1, "Audio"),
    (5, 2, "Küche"),
    (6, 3, "Camping \"Pro\""),
]

BASE_TIME = dt.datetime(2024, 1, 1, 9, 0, 0)


def q(value) -> str:
    """SQL literal for MariaDB (default sql_mode: backslash is an escape character)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    s = str(value)
    s = (s.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0")
         .replace("\n", "\\n").replace("\r", "\\r").replace("\x1a", "\\Z"))
    return "'" + s + "'"


def ts(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S")


def inserts(out, table: str, columns: list[str], rows: list[tuple]) -> None:
    cols = ", ".join(f"`{c}`" for c in columns)
    for i in range(0, len(rows), BATCH):
        chunk = rows[i:i + BATCH]
        out.write(f"INSERT INTO `{table}` ({cols}) VALUES\n")
        out.write(",\n".join("(" + ", ".join(v if isinstance(v, Raw) else q(v) for v in r) + ")" for r in chunk))
        out.write(";\n")


class Raw(str):
    """A value written verbatim (e.g. a DECIMAL literal)."""


# Order statuses a store of this shape would offer (our own short list).
ORDER_STATUSES = ["Pending", "Processing", "Shipped", "Complete", "Canceled", "Refunded"]


def schema(p: str) -> str:
    engine = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
    return f"""
DROP TABLE IF EXISTS `{p}product`, `{p}product_description`, `{p}category`, `{p}category_description`,
  `{p}product_to_category`, `{p}setting`, `{p}language`, `{p}currency`, `{p}order_status`, `{p}store`;

CREATE TABLE `{p}order_status` (
  `order_status_id` int(11) NOT NULL AUTO_INCREMENT,
  `language_id` int(11) NOT NULL,
  `name` varchar(32) NOT NULL,
  PRIMARY KEY (`order_status_id`, `language_id`)
) {engine};

CREATE TABLE `{p}store` (
  `store_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL,
  `url` varchar(255) NOT NULL,
  PRIMARY KEY (`store_id`)
) {engine};

CREATE TABLE `{p}language` (
  `language_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(32) NOT NULL,
  `code` varchar(5) NOT NULL,
  `locale` varchar(255) NOT NULL,
  `extension` varchar(255) NOT NULL DEFAULT '',
  `sort_order` int(3) NOT NULL DEFAULT 0,
  `status` tinyint(1) NOT NULL,
  PRIMARY KEY (`language_id`),
  KEY `name` (`name`)
) {engine};

CREATE TABLE `{p}currency` (
  `currency_id` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(32) NOT NULL,
  `code` varchar(3) NOT NULL,
  `symbol_left` varchar(12) NOT NULL,
  `symbol_right` varchar(12) NOT NULL,
  `decimal_place` int(1) NOT NULL,
  `value` double(15,8) NOT NULL,
  `status` tinyint(1) NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`currency_id`)
) {engine};

CREATE TABLE `{p}setting` (
  `setting_id` int(11) NOT NULL AUTO_INCREMENT,
  `store_id` int(11) NOT NULL DEFAULT 0,
  `code` varchar(128) NOT NULL,
  `key` varchar(128) NOT NULL,
  `value` text NOT NULL,
  `serialized` tinyint(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (`setting_id`)
) {engine};

CREATE TABLE `{p}category` (
  `category_id` int(11) NOT NULL AUTO_INCREMENT,
  `image` varchar(255) NOT NULL DEFAULT '',
  `parent_id` int(11) NOT NULL DEFAULT 0,
  `sort_order` int(3) NOT NULL DEFAULT 0,
  `status` tinyint(1) NOT NULL,
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`category_id`),
  KEY `parent_id` (`parent_id`)
) {engine};

CREATE TABLE `{p}category_description` (
  `category_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `description` text NOT NULL,
  `meta_title` varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`category_id`,`language_id`),
  KEY `name` (`name`)
) {engine};

CREATE TABLE `{p}product` (
  `product_id` int(11) NOT NULL AUTO_INCREMENT,
  `model` varchar(64) NOT NULL,
  `sku` varchar(64) NOT NULL,
  `upc` varchar(12) NOT NULL,
  `quantity` int(4) NOT NULL DEFAULT 0,
  `price` decimal(15,4) NOT NULL DEFAULT 0.0000,
  `status` tinyint(1) NOT NULL DEFAULT 0,
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`product_id`)
) {engine};

CREATE TABLE `{p}product_description` (
  `product_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `description` text NOT NULL,
  PRIMARY KEY (`product_id`,`language_id`),
  KEY `name` (`name`)
) {engine};

CREATE TABLE `{p}product_to_category` (
  `product_id` int(11) NOT NULL,
  `category_id` int(11) NOT NULL,
  PRIMARY KEY (`product_id`,`category_id`),
  KEY `category_id` (`category_id`)
) {engine};
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=25, help="number of synthetic products (default 25)")
    ap.add_argument("--seed", type=int, default=20240101, help="random seed (default 20240101)")
    ap.add_argument("--store-url", default="http://127.0.0.1/", help="value of the config_url setting")
    ap.add_argument("--prefix", default="oc_", help="table prefix (default oc_)")
    args = ap.parse_args()
    if args.products < 0:
        ap.error("--products must be >= 0")

    rng = random.Random(args.seed)
    p = args.prefix
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    out = sys.stdout
    out.write("-- CartBridge ocmini: OpenCart-shaped test data, generated by scripts/testenv/gen_opencart_mini.py\n")
    out.write(f"-- products={args.products} seed={args.seed}\n")
    out.write("SET NAMES utf8mb4;\nSET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION';\n")
    out.write("SET FOREIGN_KEY_CHECKS = 0;\nSET UNIQUE_CHECKS = 0;\n")
    out.write(schema(p))
    out.write("\nSTART TRANSACTION;\n")

    inserts(out, f"{p}language", ["language_id", "name", "code", "locale", "extension", "sort_order", "status"],
            [(1, "English", "en-gb", "en-gb,en", "opencart", 1, 1)])
    inserts(out, f"{p}order_status", ["order_status_id", "language_id", "name"],
            [(i + 1, 1, name) for i, name in enumerate(ORDER_STATUSES)])
    modified = ts(BASE_TIME)
    inserts(out, f"{p}currency", ["currency_id", "title", "code", "symbol_left", "symbol_right", "decimal_place",
                                  "value", "status", "date_modified"],
            [(1, "Pound Sterling", "GBP", "£", "", 2, Raw("0.61250001"), 1, modified),
             (2, "US Dollar", "USD", "$", "", 2, Raw("1.00000000"), 1, modified),
             (3, "Euro", "EUR", "", "€", 2, Raw("0.78460002"), 1, modified)])
    settings = [
        ("config_name", "CartBridge Mini Store"),
        ("config_owner", "CartBridge Tests"),
        ("config_email", "store@example.com"),
        ("config_url", args.store_url),
        ("config_timezone", "UTC"),
        ("config_currency", "USD"),
        ("config_language", "en-gb"),
        ("config_language_catalog", "en-gb"),
        ("config_language_admin", "en-gb"),
        ("config_country_id", "222"),
        ("config_weight_class_id", "1"),
        ("config_length_class_id", "1"),
    ]
    inserts(out, f"{p}setting", ["setting_id", "store_id", "code", "key", "value", "serialized"],
            [(i + 1, 0, "config", k, v, 0) for i, (k, v) in enumerate(settings)])

    cat_rows, cat_desc = [], []
    for cid, parent, name in CATEGORIES:
        t = ts(BASE_TIME + dt.timedelta(minutes=cid))
        cat_rows.append((cid, "", parent, cid, 1, t, t))
        cat_desc.append((cid, 1, name, f"<p>{name} category.</p>", name))
    inserts(out, f"{p}category", ["category_id", "image", "parent_id", "sort_order", "status", "date_added",
                                  "date_modified"], cat_rows)
    inserts(out, f"{p}category_description", ["category_id", "language_id", "name", "description", "meta_title"],
            cat_desc)

    products, descs, links = [], [], []
    cat_ids = [c[0] for c in CATEGORIES]
    for pid in range(1, args.products + 1):
        added = BASE_TIME + dt.timedelta(hours=pid, minutes=rng.randrange(60))
        changed = added + dt.timedelta(days=rng.randrange(0, 30), seconds=rng.randrange(86400))
        cents = rng.randrange(100, 50000)
        price = Raw(f"{cents // 100}.{cents % 100:02d}00")
        quantity = rng.choice([0, 0, 1, 5]) if pid % 7 == 0 else rng.randrange(1, 500)
        status = 0 if pid % 10 == 0 else 1
        model = f"MINI-{pid:05d}"
        sku = f"SKU{pid:06d}" if pid % 5 else ""
        upc = f"{rng.randrange(10**11, 10**12)}" if pid % 3 == 0 else ""
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {pid}"
        products.append((pid, model, sku, upc, quantity, price, status, ts(added), ts(changed)))
        descs.append((pid, 1, name, f"<p>{name}: synthetic product #{pid} for CartBridge tests.</p>"))
        first = rng.choice(cat_ids)
        links.append((pid, first))
        if rng.random() < 0.3:
            second = rng.choice(cat_ids)
            if second != first:
                links.append((pid, second))
    inserts(out, f"{p}product", ["product_id", "model", "sku", "upc", "quantity", "price", "status", "date_added",
                                 "date_modified"], products)
    inserts(out, f"{p}product_description", ["product_id", "language_id", "name", "description"], descs)
    inserts(out, f"{p}product_to_category", ["product_id", "category_id"], links)
    out.write("COMMIT;\nSET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
