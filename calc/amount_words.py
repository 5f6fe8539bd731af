"""An amount in yuan written in Chinese capital numerals (中文大写金额), as the forms print
it beside the figures: 1234567.89 -> 人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分.

Written by 《正确填写票据和结算凭证的基本规定》 (中国人民银行《支付结算办法》附件一):
- 人民币 before the amount; 整 after an amount that ends at 元, and after one that ends at 角
  (the rule allows it there, and it leaves no room to add a digit); never after 分;
- a zero between non-zero digits is written 零, a run of zeros as one 零 (rules 4(1), 4(2));
- where 万位 or 元位 is zero but the digit after it is not, the rule allows 零 or nothing
  (4(3)): this handbook always writes 零, so an amount reads the same whichever zero it has;
- a zero 角 before a non-zero 分 is written 零 (4(4)): 325.04 -> 叁佰贰拾伍元零肆分.
A 拾 that leads a group is written 壹拾 (10 -> 壹拾元整), so nothing can be put before it.

Run it on the command line too: `python -m calc.amount_words 1234567.89`.
"""

import sys
from fractions import Fraction

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")          # within a group of four digits
MAX_YUAN = 10**16 - 1                    # 玖仟玖佰…万亿: above every amount a form takes (10^15)


def _fen(amount) -> int:
    """The amount in fen, exactly: a float is read by its shortest decimal form."""
    value = Fraction(str(amount)) if isinstance(amount, float) else Fraction(amount)
    fen = value * 100
    if fen.denominator != 1:
        raise ValueError("金额最多保留到分（两位小数）")
    if fen < 0:
        raise ValueError("金额不能为负数")
    if fen > MAX_YUAN * 100 + 99:
        raise ValueError("金额过大")
    return int(fen)


def _four(n: int) -> str:
    """1..9999 as words: a zero between non-zero digits is one 零; trailing zeros unwritten."""
    out, zero = [], False
    for place, d in zip((3, 2, 1, 0), f"{n:04d}"):
        if d == "0":
            zero = bool(out)               # leading zeros are not written at all
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[int(d)] + PLACES[place])
    return "".join(out)


def _yuan(n: int) -> str:
    """The whole yuan as words, without 元; '' for zero. Above 亿 the count of 亿 is itself a
    number (壹万零壹亿), as the amount is read aloud."""
    for size, name in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            words = _yuan(high) + name
            if low:
                # A zero at the 亿 or 万 place, or right after it, before a non-zero digit:
                # one 零 (rules 4(2), 4(3), written rather than left out).
                words += ("零" if low < size // 10 or high % 10 == 0 else "") + _yuan(low)
            return words
    return _four(n)


def rmb_upper(amount) -> str:
    """人民币… in capital numerals; ValueError (Chinese) for a negative or sub-fen amount."""
    fen = _fen(amount)
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words = _yuan(yuan)
    if words:
        words += "元"
    if jiao:
        if words and yuan % 10 == 0:
            words += "零"                  # 元位 zero, 角 not (rule 4(3), written with 零)
        words += DIGITS[jiao] + "角"
    if cents:
        if words and not jiao:
            words += "零"                  # 角位 zero, 分 not (rule 4(4))
        words += DIGITS[cents] + "分"
    if not words:
        return "人民币零元整"
    return "人民币" + words + ("" if cents else "整")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python -m calc.amount_words 金额（如 1234567.89）", file=sys.stderr)
        return 2
    try:
        from decimal import Decimal, InvalidOperation
        value = Decimal(argv[0].replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
        print(rmb_upper(value))
    except (InvalidOperation, ValueError) as e:
        message = str(e) if isinstance(e, ValueError) and str(e) else f"不是金额：{argv[0]!r}"
        print(message, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
