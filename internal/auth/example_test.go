package auth_test

import (
	"context"
	"fmt"
	"time"

	"tipline/internal/auth"
)

// A desk user sets a password, then logs in with it. The wrapping secret
// from NewPassword wraps the user's private key; Check gives it back.
func ExampleHasher() {
	ctx := context.Background()
	hasher := auth.NewHasher(auth.DefaultParams, 2) // at most 2 × 64 MiB at once

	if err := auth.CheckPolicy("correct horse battery staple"); err != nil {
		fmt.Println(err)
		return
	}
	rec, secret, err := hasher.NewPassword(ctx, "correct horse battery staple")
	if err != nil {
		fmt.Println(err)
		return
	}
	stored := rec.String() // "$argon2id$v=19$m=65536,t=3,p=2$…": store this

	parsed, _ := auth.ParsePassword(stored)
	again, ok, _ := hasher.Check(ctx, "correct horse battery staple", parsed)
	fmt.Println(ok, len(secret), string(again) == string(secret))
	_, ok, _ = hasher.Check(ctx, "correct horse battery stable", parsed)
	fmt.Println(ok)
	// Output:
	// true 32 true
	// false
}

func ExampleCheckPolicy() {
	fmt.Println(auth.CheckPolicy("hunter2"))
	fmt.Println(auth.CheckPolicy("password1234"))
	fmt.Println(auth.CheckPolicy("a long phrase only I would say"))
	// Output:
	// password is too short: use at least 12 characters; a few unrelated words make a long password that is easy to remember
	// password is among the first that attackers try: choose something that is not a well-known password or keyboard pattern
	// <nil>
}

// At login, the code is checked against the account's secret and the last
// step it used; the step returned is stored so that the code cannot be
// replayed. The secret and time here are RFC 6238's test vector.
func ExampleCheckTOTP() {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	now := time.Unix(1234567890, 0)
	var lastStep int64 // 0 for a fresh enrolment; then what the store holds

	step, ok := auth.CheckTOTP(secret, "005 924", lastStep, now)
	fmt.Println(step, ok)
	lastStep = step

	_, ok = auth.CheckTOTP(secret, "005924", lastStep, now.Add(10*time.Second))
	fmt.Println("replayed:", ok)
	// Output:
	// 41152263 true
	// replayed: false
}

// The login handler, in outline: wait, check both factors, record the
// outcome. Every wrong password or code counts as a failure.
func ExampleThrottle() {
	throttle := auth.NewThrottle(auth.ThrottleConfig{}) // one per process
	hasher := auth.NewHasher(auth.DefaultParams, 2)

	login := func(ctx context.Context, name, password, code string, rec auth.Password, totpSecret string, lastStep int64) bool {
		if err := throttle.Wait(ctx, name); err != nil {
			return false // the visitor gave up
		}
		_, okPassword, err := hasher.Check(ctx, password, rec)
		if err != nil {
			return false
		}
		_, okCode := auth.CheckTOTP(totpSecret, code, lastStep, time.Now())
		if !okPassword || !okCode {
			throttle.Failed(ctx, name)
			return false
		}
		throttle.Succeeded(ctx, name)
		return true
	}
	_ = login
}
