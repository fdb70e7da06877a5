package tui

import "testing"

func TestUnwrapSoftBreaks(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraph", "one\ntwo\nthree", "one two three"},
		{"list item continuation", "- It holds the\n  Terraform root\n- next", "- It holds the Terraform root\n- next"},
		{"numbered items", "1. first\n   more\n2. second", "1. first more\n2. second"},
		{"blank line separates", "one\n\ntwo", "one\n\ntwo"},
		{"heading stays alone", "## Title\ntext\nmore", "## Title\ntext more"},
		{"fence untouched", "```sh\naws s3 ls\n--recursive\n```\nafter", "```sh\naws s3 ls\n--recursive\n```\nafter"},
		{"table rows", "| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 2 |"},
		{"hard break kept", "line one  \nline two", "line one  \nline two"},
		{"quote starts block", "text\n> quoted", "text\n> quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unwrapSoftBreaks(tt.in); got != tt.want {
				t.Errorf("unwrapSoftBreaks(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWrapKeepsIDsWhole(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want []string
	}{
		{"Instance i-a024dc1d3f84500cf is running in sg-8aba4c175501e08e4 with public IP", 46,
			[]string{"Instance i-a024dc1d3f84500cf is running in", "sg-8aba4c175501e08e4 with public IP"}},
		{"short", 10, []string{"short"}},
		{"abcdefghijkl x", 5, []string{"abcde", "fghij", "kl x"}},
		{"one\ntwo three", 5, []string{"one", "two", "three"}},
	}
	for _, tt := range tests {
		got := wrap(tt.in, tt.w)
		if len(got) != len(tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
				break
			}
		}
	}
}
