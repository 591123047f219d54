"""§3.4 Numbers as text: the decimal text ECMAScript's Number::toString writes for a double.

A number in a compound unit is hashed as this text, so 42 and "42" are the same unit.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext


def shortest_digits(x: float) -> tuple[str, int]:
    """§3.4 step 2: the shortest digit string d and exponent n with 0.d × 10^n reading back as x;
    of two such strings the nearer to x, and of two equally near the one ending in an even digit."""
    with localcontext() as context:
        context.prec = 2000  # every double and every product below is exact at this precision
        exact = Decimal(x)  # the double's exact value
        n = exact.adjusted() + 1  # 0.d × 10^n: the first digit of x is the n-th before the point
        for k in range(1, 18):  # 17 digits always suffice for a double
            unit = Decimal(1).scaleb(n - k)  # one unit in the k-th digit
            low = int((exact / unit).to_integral_value(rounding=ROUND_FLOOR))
            # Only the two k-digit numbers around x can read back as x; float() rounds correctly.
            found = [(abs(s * unit - exact), s % 2, s) for s in (low, low + 1) if float(s * unit) == x]
            if found:
                s = min(found)[2]  # the nearest; of two equally near, the even one (s % 2 == 0 sorts first)
                digits = str(s)  # low + 1 may have gained a digit (99 + 1) or end in zeros
                return digits.rstrip('0'), n - k + len(digits)
    raise AssertionError(f'no shortest digits for {x!r}')


def js_number_text(value: int | float) -> str:
    """The decimal text of a number as an IEEE double, as ECMAScript Number::toString writes it (§3.4)."""
    x = float(value)
    if x == 0:
        return '0'
    if x < 0:
        return '-' + js_number_text(-x)
    digits, n = shortest_digits(x)
    k = len(digits)
    if k <= n <= 21:
        return digits + '0' * (n - k)
    if 0 < n <= 21:
        return digits[:n] + '.' + digits[n:]
    if -6 < n <= 0:
        return '0.' + '0' * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + '.' + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
