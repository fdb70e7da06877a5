package docs

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// substitution stands in for a $(...) command substitution in a parsed
// argument; what runs inside it is terraform output, not checked here.
const substitution = "\x00subst\x00"

// shellCommands splits the body of an sh fence into commands, each a list
// of arguments, the way a POSIX shell would for the simple commands the
// docs use: quotes, backslash-newline continuations, $(...) and comments.
func shellCommands(body string) ([][]string, error) {
	var cmds [][]string
	var args []string
	var arg strings.Builder
	inArg := false
	endArg := func() {
		if inArg {
			args = append(args, arg.String())
			arg.Reset()
			inArg = false
		}
	}
	endCmd := func() {
		endArg()
		if len(args) > 0 {
			cmds = append(cmds, args)
			args = nil
		}
	}
	quote := byte(0)
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				arg.WriteByte(c)
			}
		case c == '\\' && i+1 < len(body) && body[i+1] == '\n':
			i++ // continuation: the newline is not a separator
		case c == '$' && i+1 < len(body) && body[i+1] == '(':
			end, err := closingParen(body, i+1)
			if err != nil {
				return nil, err
			}
			arg.WriteString(substitution)
			inArg = true
			i = end
		case quote == '"':
			if c == '"' {
				quote = 0
			} else {
				arg.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote = c
			inArg = true
		case c == '#' && !inArg:
			for i < len(body) && body[i] != '\n' {
				i++
			}
			endCmd()
		case c == '\n':
			endCmd()
		case c == ' ' || c == '\t':
			endArg()
		case strings.IndexByte("<>|;&`", c) >= 0:
			return nil, fmt.Errorf("unquoted %q: keep fences to one plain command each", c)
		default:
			arg.WriteByte(c)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	endCmd()
	return cmds, nil
}

// closingParen returns the index of the parenthesis closing the one at open.
func closingParen(s string, open int) (int, error) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unterminated $( at %d", open)
}

// checkCommand returns what is wrong with one command of an sh fence.
func checkCommand(args []string) error {
	if subs, ok := otherPrograms[args[0]]; ok {
		if len(args) < 2 || !slices.Contains(subs, args[1]) {
			return fmt.Errorf("%s: unknown subcommand in %q", args[0], args)
		}
		return nil
	}
	if args[0] != "aws" {
		return fmt.Errorf("command %q is neither the AWS CLI nor terraform/gdlab", args[0])
	}
	if len(args) < 3 {
		return fmt.Errorf("aws command without service and operation: %q", args)
	}
	ops, ok := awsOperations[args[1]]
	if !ok {
		return fmt.Errorf("aws %s: not a service the lab uses", args[1])
	}
	options, ok := ops[args[2]]
	if !ok {
		return fmt.Errorf("aws %s %s: unknown operation", args[1], args[2])
	}
	for i, a := range args[3:] {
		if !strings.HasPrefix(a, "--") {
			continue
		}
		if !slices.Contains(options, a) && !slices.Contains(awsGlobalOptions, a) {
			return fmt.Errorf("aws %s %s: unknown option %s", args[1], args[2], a)
		}
		if a == "--output" {
			next := ""
			if 3+i+1 < len(args) {
				next = args[3+i+1]
			}
			if !slices.Contains([]string{"json", "text", "table", "yaml"}, next) {
				return fmt.Errorf("--output %q", next)
			}
		}
	}
	return nil
}

func TestShellCommandsParse(t *testing.T) {
	body := "# a comment\n" +
		"aws sns get-topic-attributes \\\n  --topic-arn \"$(terraform output -raw x)\" \\\n" +
		"  --query 'A.B' --output text\n" +
		"aws guardduty list-findings --finding-criteria '{\"a\":\n  1}'\n"
	got, err := shellCommands(body)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"aws", "sns", "get-topic-attributes", "--topic-arn", substitution,
			"--query", "A.B", "--output", "text"},
		{"aws", "guardduty", "list-findings", "--finding-criteria", "{\"a\":\n  1}"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for _, bad := range []string{"aws s3 ls <bucket>\n", "echo 'x\n", "aws x | less\n"} {
		if _, err := shellCommands(bad); err == nil {
			t.Errorf("shellCommands(%q) accepted it", bad)
		}
	}
}

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		args []string
		ok   bool
	}{
		{[]string{"aws", "sts", "get-caller-identity"}, true},
		{[]string{"aws", "ec2", "describe-flow-logs", "--filter", "x", "--output", "json"}, true},
		{[]string{"aws", "ec2", "describe-flow-logs", "--filters", "x"}, false},
		{[]string{"aws", "ec2", "describe-instance"}, false},
		{[]string{"aws", "rds", "describe-db-instances"}, false},
		{[]string{"aws", "sts"}, false},
		{[]string{"aws", "sts", "get-caller-identity", "--output", "xml"}, false},
		{[]string{"terraform", "plan", "-detailed-exitcode"}, true},
		{[]string{"terraform", "taint"}, false},
		{[]string{"curl", "https://example.com"}, false},
	}
	for _, tt := range tests {
		err := checkCommand(tt.args)
		if (err == nil) != tt.ok {
			t.Errorf("checkCommand(%q) = %v, want ok=%v", tt.args, err, tt.ok)
		}
	}
}

// Every command in an sh fence must run as written: the AWS CLI with a
// real service, operation and options, or terraform/gdlab.
func TestShellFencesHoldRealCommands(t *testing.T) {
	awsCommands := 0
	for name, text := range pages(t) {
		fs, _ := fences(t, name, text)
		for _, f := range fs {
			if f.lang != "sh" {
				continue
			}
			cmds, err := shellCommands(f.body)
			if err != nil {
				t.Errorf("%s:%d: %v", name, f.line, err)
				continue
			}
			if len(cmds) == 0 {
				t.Errorf("%s:%d: empty sh fence", name, f.line)
			}
			for _, args := range cmds {
				if err := checkCommand(args); err != nil {
					t.Errorf("%s:%d: %v", name, f.line, err)
				}
				if args[0] == "aws" {
					awsCommands++
				}
			}
		}
	}
	if awsCommands < 10 {
		t.Errorf("only %d AWS CLI commands in the docs; every step page shows some", awsCommands)
	}
}
