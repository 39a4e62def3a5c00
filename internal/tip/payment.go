package tip

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Payment is what a committee member records as paid on an approved reward.
// The approval is in whole US dollars, so a payment must be worth exactly
// that: in US dollars, the amount itself; in a crypto-asset (the one way a
// reward is paid in another currency), the value in US dollars that the
// member records with it.
type Payment struct {
	Paid     string // the amount as paid, in Currency's units: "250000", "3.75"
	Currency string // USD, or the crypto-asset's code: XBT, ETH, USDT, ...
	Method   string // one of PaymentMethods
	ValueUSD int64  // its value in whole US dollars
}

var (
	decimalPattern  = regexp.MustCompile(`^[0-9]{1,20}(\.[0-9]{1,18})?$`)
	currencyPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]{2,5}$`)
)

// ParsePaid reads an amount as paid — a positive decimal number, with
// thousands separated by commas or not — into its shortest form ("250,000.00"
// is "250000"), or says why it cannot.
func ParsePaid(s string) (string, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if !decimalPattern.MatchString(s) {
		return "", Errorf(CodeInvalid, "the amount paid must be a positive number in the currency's units, such as 250000 or 3.75")
	}
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" && frac == "" {
		return "", Errorf(CodeInvalid, "the amount paid must be more than zero")
	}
	if whole == "" {
		whole = "0"
	}
	if frac != "" {
		return whole + "." + frac, nil
	}
	return whole, nil
}

// Validate checks the payment's form, whatever was approved: a known
// method, a currency code, a positive amount.
func (p Payment) Validate() error {
	if !slices.Contains(PaymentMethods, p.Method) {
		return Errorf(CodeInvalid, "the method must be one of %s", strings.Join(PaymentMethods, ", "))
	}
	if !currencyPattern.MatchString(p.Currency) {
		return Errorf(CodeInvalid, "the currency must be a code such as USD, XBT or USDT")
	}
	_, err := ParsePaid(p.Paid)
	return err
}

// Check says why a payment cannot settle a reward approved for approvedUSD:
// an unknown method or currency, an amount that is not a number, a payment
// in US dollars of another amount, a bank or cash payment in another
// currency, or a crypto payment whose value in US dollars differs. A
// mismatch with the approval is a conflict; a malformed payment is invalid.
func (p Payment) Check(approvedUSD int64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	paid, _ := ParsePaid(p.Paid)
	approved := USD(approvedUSD)
	if p.Currency == "USD" {
		if paid != strconv.FormatInt(approvedUSD, 10) {
			return Errorf(CodeConflict, "%s was approved, but the payment records %s USD: a payment must be of the approved amount", approved, paid)
		}
		if p.ValueUSD != approvedUSD {
			return Errorf(CodeConflict, "a payment of %s USD is worth %s, but its value is recorded as %s", paid, approved, USD(p.ValueUSD))
		}
		return nil
	}
	if p.Method != "crypto" {
		return Errorf(CodeConflict, "%s was approved in US dollars: a %s payment is made in USD, not %s (only a crypto payment is in another currency, with its value in US dollars)", approved, p.Method, p.Currency)
	}
	if p.ValueUSD <= 0 {
		return Errorf(CodeInvalid, "a payment of %s %s needs its value in whole US dollars on the day it was paid", paid, p.Currency)
	}
	if p.ValueUSD != approvedUSD {
		return Errorf(CodeConflict, "%s was approved, but the %s %s paid are recorded as worth %s: a payment must be worth the approved amount", approved, paid, p.Currency, USD(p.ValueUSD))
	}
	return nil
}
