package steps

// Kind separates the numbered lab steps from the cleanup that ends the lab.
type Kind int

const (
	// LabStep is one of the nine steps that build and exercise the lab.
	LabStep Kind = iota
	// CleanupStep destroys the lab and audits what is left.
	CleanupStep
)

// String names the kind for logs and JSON.
func (k Kind) String() string {
	switch k {
	case LabStep:
		return "step"
	case CleanupStep:
		return "cleanup"
	}
	return "unknown"
}

// LastLabStep is the number of the final lab step (verify the response).
const LastLabStep = 9

// CleanupNumber is the number cleanup sorts under, after the lab steps.
const CleanupNumber = 10

// Step is one entry of the lab: what it is called, what it adds to the root
// module and where its explanation lives.
type Step struct {
	Number  int // 1..9 for lab steps, CleanupNumber for cleanup
	Kind    Kind
	Slug    string // stable identifier, used in file names and the journal
	Title   string // short enough for a 24-column step list
	Summary string // one line

	// Fragments are the root files this step adds (terraform/lab root/).
	Fragments []string
	// Modules are the local modules those fragments introduce
	// (terraform/lab modules/<name>/).
	Modules []string
	// Variables are the root variables this step's files declare.
	Variables []string

	// Doc is the page in package docs that explains the step.
	Doc string
}

// IsCleanup reports whether s is the cleanup rather than a lab step.
func (s Step) IsCleanup() bool { return s.Kind == CleanupStep }
