package store

import (
	"errors"
	"testing"
	"time"
)

func TestRebindDollar(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"none", `SELECT 1`, `SELECT 1`},
		{"several", `SELECT * FROM t WHERE a = ? AND "b" IN (?, ?)`, `SELECT * FROM t WHERE a = $1 AND "b" IN ($2, $3)`},
		{"string literal", `SELECT '?', ? FROM t`, `SELECT '?', $1 FROM t`},
		{"escaped quote", `SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{"quoted identifier", `SELECT "a?b" FROM t WHERE c = ?`, `SELECT "a?b" FROM t WHERE c = $1`},
		{"ten and more", `?,?,?,?,?,?,?,?,?,?,?`, `$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rebindDollar(tc.in); got != tc.want {
				t.Errorf("rebindDollar(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTimeColScan(t *testing.T) {
	want := time.Date(2025, 3, 4, 5, 6, 7, 8_000_000, time.UTC)
	tests := []struct {
		name    string
		src     any
		want    time.Time
		wantErr bool
	}{
		{"sqlite text", "2025-03-04T05:06:07.008Z", want, false},
		{"bytes", []byte("2025-03-04T05:06:07.008Z"), want, false},
		{"time in another zone", want.In(time.FixedZone("X", 3600)), want, false},
		{"null", nil, time.Time{}, false},
		{"garbage", "yesterday", time.Time{}, true},
		{"wrong type", int64(3), time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got time.Time
			err := timeCol{&got}.Scan(tc.src)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Scan(%v) error = %v, wantErr %v", tc.src, err, tc.wantErr)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("Scan(%v) = %v, want %v in UTC", tc.src, got, tc.want)
			}
		})
	}
}

func TestSQLiteTimeLayoutSorts(t *testing.T) {
	a := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := a.Add(time.Millisecond)
	c := a.Add(10 * time.Hour)
	sa, sb, sc := a.Format(sqliteTimeLayout), b.Format(sqliteTimeLayout), c.Format(sqliteTimeLayout)
	if !(sa < sb && sb < sc) {
		t.Errorf("got %q, %q, %q, want strictly increasing text", sa, sb, sc)
	}
}

func TestMapErr(t *testing.T) {
	if err := mapErr(nil); err != nil {
		t.Errorf("mapErr(nil) = %v, want nil", err)
	}
	other := errors.New("boom")
	if err := mapErr(other); !errors.Is(err, other) || errors.Is(err, ErrConflict) {
		t.Errorf("mapErr(boom) = %v, want boom unchanged", err)
	}
}

func TestNowStrictlyIncreasing(t *testing.T) {
	db := &DB{}
	prev := db.now()
	for range 1000 {
		got := db.now()
		if !got.After(prev) {
			t.Fatalf("now() = %v after %v, want strictly later", got, prev)
		}
		if got.Truncate(time.Millisecond) != got || got.Location() != time.UTC {
			t.Fatalf("now() = %v, want UTC milliseconds", got)
		}
		prev = got
	}
}
