package tip_test

import (
	"strings"
	"testing"

	"tipline/internal/tip"
)

func TestParsePaid(t *testing.T) {
	for in, want := range map[string]string{
		"250000": "250000", "250,000": "250000", " 250000.00 ": "250000", "0250000": "250000",
		"3.75": "3.75", "3.7500": "3.75", "0.25": "0.25", ".5": "", "0": "", "0.000": "", "-5": "",
		"1e6": "", "12.5.1": "", "": "", "US$5": "", "1.0000000000000000001": "",
	} {
		got, err := tip.ParsePaid(in)
		if want == "" {
			if err == nil || tip.ErrorCode(err) != tip.CodeInvalid {
				t.Errorf("ParsePaid(%q) = %q, %v: want refused as invalid", in, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParsePaid(%q) = %q, %v: want %q", in, got, err, want)
		}
	}
}

// A payment must be worth exactly the approval of US$250,000.
func TestPaymentCheckAgainstTheApproval(t *testing.T) {
	cases := []struct {
		name string
		p    tip.Payment
		code tip.Code // "" for accepted
		says string
	}{
		{"the approved amount in USD", tip.Payment{Paid: "250000", Currency: "USD", Method: "bank", ValueUSD: 250_000}, "", ""},
		{"in USD with cents written", tip.Payment{Paid: "250,000.00", Currency: "USD", Method: "cash", ValueUSD: 250_000}, "", ""},
		{"crypto worth the approval", tip.Payment{Paid: "3.75", Currency: "XBT", Method: "crypto", ValueUSD: 250_000}, "", ""},
		{"less in USD", tip.Payment{Paid: "200000", Currency: "USD", Method: "bank", ValueUSD: 200_000}, tip.CodeConflict, "US$250,000 was approved, but the payment records 200000 USD"},
		{"more in USD", tip.Payment{Paid: "2500000", Currency: "USD", Method: "bank", ValueUSD: 2_500_000}, tip.CodeConflict, "records 2500000 USD"},
		{"cents more in USD", tip.Payment{Paid: "250000.01", Currency: "USD", Method: "bank", ValueUSD: 250_000}, tip.CodeConflict, "records 250000.01 USD"},
		{"in USD with another value", tip.Payment{Paid: "250000", Currency: "USD", Method: "bank", ValueUSD: 300_000}, tip.CodeConflict, "its value is recorded as US$300,000"},
		{"by bank in euros", tip.Payment{Paid: "250000", Currency: "EUR", Method: "bank", ValueUSD: 250_000}, tip.CodeConflict, "a bank payment is made in USD, not EUR"},
		{"in cash in yuan", tip.Payment{Paid: "1800000", Currency: "CNY", Method: "cash", ValueUSD: 250_000}, tip.CodeConflict, "a cash payment is made in USD, not CNY"},
		{"crypto worth less", tip.Payment{Paid: "2", Currency: "XBT", Method: "crypto", ValueUSD: 130_000}, tip.CodeConflict, "the 2 XBT paid are recorded as worth US$130,000"},
		{"crypto without its value", tip.Payment{Paid: "3.75", Currency: "XBT", Method: "crypto"}, tip.CodeInvalid, "needs its value in whole US dollars"},
		{"an unknown method", tip.Payment{Paid: "250000", Currency: "USD", Method: "cheque", ValueUSD: 250_000}, tip.CodeInvalid, "bank, cash, crypto"},
		{"no currency", tip.Payment{Paid: "250000", Method: "bank", ValueUSD: 250_000}, tip.CodeInvalid, "currency"},
		{"a lower-case currency", tip.Payment{Paid: "250000", Currency: "usd", Method: "bank", ValueUSD: 250_000}, tip.CodeInvalid, "currency"},
		{"no amount", tip.Payment{Currency: "USD", Method: "bank", ValueUSD: 250_000}, tip.CodeInvalid, "amount paid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.p.Check(250_000)
			if c.code == "" {
				if err != nil {
					t.Fatalf("want accepted, got %v", err)
				}
				return
			}
			if tip.ErrorCode(err) != c.code || !strings.Contains(tip.ErrorMessage(err), c.says) {
				t.Fatalf("want %s saying %q, got %v", c.code, c.says, err)
			}
		})
	}
}
