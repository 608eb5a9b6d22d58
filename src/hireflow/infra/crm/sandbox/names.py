"""People's names and e-mail domains: common US names plus a realistic share of other origins and spellings.

Accents, apostrophes and hyphens are deliberate: a sync that mangles ``Zoë``, ``O'Brien`` or ``García-López``
should be caught by the tests, not by a recruiter.
"""

from __future__ import annotations

import unicodedata
from functools import cache


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text``, with ``_`` standing for a space inside one."""
    return tuple(word.replace("_", " ") for word in text.split())


FIRST_NAMES: tuple[str, ...] = _words(
    """
    James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
    Jessica Thomas Sarah Christopher Karen Charles Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret
    Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa
    George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob
    Amy Gary Kathleen Nicholas Angela Eric Shirley Jonathan Emma Stephen Brenda Larry Pamela Justin Nicole Scott
    Anna Brandon Samantha Benjamin Katherine Samuel Christine Gregory Debra Alexander Rachel Patrick Carolyn Frank
    Janet Raymond Maria Jack Olivia Dennis Heather Jerry Helen Tyler Catherine Aaron Diane Jose Julie Adam Victoria
    Nathan Joyce Henry Lauren Zachary Kelly Douglas Christina Peter Ruth Kyle Joan Noah Virginia Ethan Judith
    Jeremy Evelyn Christian Hannah Walter Andrea Keith Megan Austin Cheryl Roger Jacqueline Terry Madison Sean
    Teresa Gerald Abigail Carl Sophia Dylan Martha Harold Sara Jordan Gloria Jesse Janice Bryan Kathryn Lawrence
    Ann Arthur Isabella Gabriel Judy Bruce Charlotte Logan Julia Billy Grace Joe Amber Alan Alice Juan Jean Elijah
    Denise Willie Frances Albert Danielle Wayne Marilyn Randy Natalie Mason Beverly Vincent Diana Liam Brittany
    Roy Theresa Bobby Kayla Caleb Alexis Bradley Doris Russell Lori Lucas Tiffany Aaliyah DeShawn Jamal Latoya
    Imani Malik Tyrone Keisha Darnell Ebony Carlos Luis Miguel Sofia Alejandro Valentina Diego Camila Jorge Lucia
    Javier Ximena Ana Guadalupe Rosa José Raúl Priya Rahul Anjali Vikram Deepa Arjun Wei Mei Hiroshi Yuki Minh
    Thanh Jin-woo Seo-yeon Fatima Omar Aisha Mohammed Yusuf Leila Chinedu Ngozi Kwame Ama Siobhan Declan Zoë
    Chloé François Björn Søren Renée Mary-Kate Jean-Luc D'Andre
    """
)

LAST_NAMES: tuple[str, ...] = _words(
    """
    Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
    Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis
    Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
    Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
    Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim
    Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo
    Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler
    Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
    Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford
    Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman
    Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon
    Muñoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
    Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer
    Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong
    Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Peña Richards
    Contreras Willis Carpenter Lawrence Sandoval O'Brien O'Connor McCarthy Nakamura Tanaka Yamamoto Wang Zhang
    Liu Singh Kumar Shah Gupta Choi Park Pham Le Okafor Mensah Haddad Khan Ali Rossi Müller Kowalski Novak
    Johansson García-López Van_der_Berg De_la_Cruz
    """
)

EMAIL_DOMAINS: tuple[str, ...] = (
    *("gmail.com",) * 9,
    *("yahoo.com",) * 3,
    *("outlook.com", "hotmail.com") * 2,
    "icloud.com",
    "aol.com",
    "comcast.net",
    "att.net",
    "protonmail.com",
    "live.com",
    "msn.com",
)
"""Weighted by repetition: about a third of candidates use Gmail."""


@cache
def slug(name: str) -> str:
    """``García-López`` -> ``garcialopez``: the ASCII letters of a name, for e-mail local parts and domains."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())
