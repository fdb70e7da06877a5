package world

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gdlab-dev/gdlab/internal/atomicfile"
)

// Lambda functions and permissions, IAM roles and policies, log groups.

func init() {
	register("aws_lambda_function", &kind{create: createFunction, update: updateFunction, remove: removeFunction})
	register("aws_lambda_permission", &kind{create: createPermission})
	register("aws_iam_role", &kind{create: createRole, update: updateRole, remove: removeRole})
	register("aws_iam_role_policy", &kind{create: createRolePolicy, update: updateRolePolicy})
	register("aws_iam_role_policy_attachment", &kind{create: createRolePolicyAttachment})
	register("aws_iam_policy", &kind{create: createPolicy})
	register("aws_cloudwatch_log_group", &kind{create: createLogGroup, update: updateLogGroup, remove: removeLogGroup})
}

// LambdaTimeFormat is how Lambda reports LastModified.
const LambdaTimeFormat = "2006-01-02T15:04:05.000-0700"

var lambdaRuntimes = map[string]bool{
	"provided.al2023": true, "provided.al2": true, "provided": false, "go1.x": false,
	"python3.9": true, "python3.10": true, "python3.11": true, "python3.12": true, "python3.13": true,
	"nodejs18.x": true, "nodejs20.x": true, "nodejs22.x": true, "java17": true, "java21": true,
	"java11": true, "java8.al2": true, "dotnet8": true, "ruby3.2": true, "ruby3.3": true,
}

func lambdaError(status int, code, format string, args ...any) *Error {
	return errorf(status, code, format, args...)
}

func createFunction(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := Str(a, "function_name")
	if !regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`).MatchString(name) {
		return lambdaError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint", name)
	}
	if tx.Find("aws_lambda_function", name) != nil {
		return lambdaError(http.StatusConflict, "ResourceConflictException", "Function already exist: %s", name)
	}
	r.ID = name
	arn := tx.arn("lambda", "function:"+name)
	a["arn"] = arn
	a["invoke_arn"] = "arn:aws:apigateway:" + tx.Region + ":lambda:path/2015-03-31/functions/" + arn + "/invocations"
	for k, v := range map[string]any{"memory_size": 128, "timeout": 3, "package_type": "Zip", "publish": false,
		"reserved_concurrent_executions": -1, "description": "", "kms_key_arn": "", "signing_job_arn": "",
		"signing_profile_version_arn": "", "layers": []any{}, "skip_destroy": false, "image_uri": "",
		"code_signing_config_arn": "", "replace_security_groups_on_destroy": false,
		"architectures":     []any{"x86_64"},
		"tracing_config":    []any{map[string]any{"mode": "PassThrough"}},
		"ephemeral_storage": []any{map[string]any{"size": 512}},
		"logging_config": []any{map[string]any{"log_format": "Text", "log_group": "/aws/lambda/" + name,
			"application_log_level": "", "system_log_level": ""}},
	} {
		setDefault(a, k, v)
	}
	if err := checkFunction(tx, r); err != nil {
		return err
	}
	a["version"] = "$LATEST"
	if Bool(a, "publish", false) {
		a["version"] = "1"
	}
	setQualified(a)
	return loadCode(tx, r, "")
}

func setQualified(a map[string]any) {
	a["qualified_arn"] = Str(a, "arn") + ":" + Str(a, "version")
	a["qualified_invoke_arn"] = strings.Replace(Str(a, "invoke_arn"), Str(a, "arn"), Str(a, "qualified_arn"), 1)
}

func checkFunction(tx *Tx, r *Resource) error {
	a := r.Attrs
	role := Str(a, "role")
	if tx.FindBy("aws_iam_role", "arn", role) == nil {
		return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
	}
	if Str(a, "package_type") == "Zip" {
		rt := Str(a, "runtime")
		if ok, known := lambdaRuntimes[rt]; !ok {
			if known {
				return lambdaError(http.StatusBadRequest, "InvalidParameterValueException",
					"The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.", rt)
			}
			return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set", rt)
		}
		if Str(a, "handler") == "" {
			return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "The handler parameter is required for the Zip package type.")
		}
	}
	archs := Strs(a, "architectures")
	if len(archs) != 1 || (archs[0] != "x86_64" && archs[0] != "arm64") {
		return lambdaError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%v' at 'architectures' failed to satisfy constraint", archs)
	}
	if t := Num(a, "timeout", 3); t < 1 || t > 900 {
		return lambdaError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%v' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900", t)
	}
	if m := Num(a, "memory_size", 128); m < 128 || m > 10240 {
		return lambdaError(http.StatusBadRequest, "ValidationException", "1 validation error detected: Value '%v' at 'memorySize' failed to satisfy constraint", m)
	}
	return nil
}

// loadCode reads the deployment package (filename, or s3_bucket/s3_key from
// the sandbox's S3), checks it is a zip, keeps a copy beside the world (part 2
// runs it) and fills code_sha256 / source_code_size / source_code_hash.
func loadCode(tx *Tx, r *Resource, previousHash string) error {
	a := r.Attrs
	var code []byte
	switch {
	case present(a, "filename"):
		b, err := os.ReadFile(Str(a, "filename"))
		if err != nil {
			return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "unable to load %q: %v", Str(a, "filename"), err)
		}
		code = b
	case present(a, "s3_bucket"):
		obj := tx.Objects[Str(a, "s3_bucket")][Str(a, "s3_key")]
		if obj == nil {
			return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.")
		}
		code = obj.Body
	case present(a, "image_uri"):
		a["package_type"] = "Image"
	default:
		return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "Please provide a source for function code.")
	}
	if code != nil {
		if _, err := zip.NewReader(bytes.NewReader(code), int64(len(code))); err != nil {
			return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "Could not unzip uploaded file. Please check your file, then try to upload again.")
		}
		sum := sha256.Sum256(code)
		hash := base64.StdEncoding.EncodeToString(sum[:])
		a["code_sha256"] = hash
		a["source_code_size"] = len(code)
		if !present(a, "source_code_hash") {
			a["source_code_hash"] = hash
		}
		dir := filepath.Join(tx.w.dir, "lambda")
		if err := os.MkdirAll(dir, 0o755); err == nil {
			_ = atomicfile.Write(filepath.Join(dir, r.ID+".zip"), code, 0o644)
		}
		r.setPrivate("code_path", filepath.Join(dir, r.ID+".zip"))
	}
	if a["code_sha256"] != previousHash || previousHash == "" {
		a["last_modified"] = tx.Now.UTC().Format(LambdaTimeFormat)
	}
	r.setPrivate("state", "Active")
	return nil
}

// FunctionCodePath is the copy of a function's zip the world keeps.
func FunctionCodePath(r *Resource) string { return r.Private["code_path"] }

func updateFunction(tx *Tx, old map[string]any, r *Resource) error {
	if err := checkFunction(tx, r); err != nil {
		return err
	}
	prev := Str(old, "code_sha256")
	if err := loadCode(tx, r, prev); err != nil {
		return err
	}
	changed := false
	for _, k := range []string{"environment", "timeout", "memory_size", "handler", "runtime", "role", "description", "code_sha256"} {
		if toJSON(old[k]) != toJSON(r.Attrs[k]) {
			changed = true
		}
	}
	if changed {
		r.Attrs["last_modified"] = tx.Now.UTC().Format(LambdaTimeFormat)
		if Bool(r.Attrs, "publish", false) {
			r.Attrs["version"] = nextVersion(Str(old, "version"))
		}
	}
	setQualified(r.Attrs)
	return nil
}

func nextVersion(v string) string {
	n := 0
	for _, c := range v {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return itoa(n + 1)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func removeFunction(tx *Tx, r *Resource) error {
	tx.removeWhere("aws_lambda_permission", func(p *Resource) bool { return FunctionOf(tx.State, Str(p.Attrs, "function_name")) == r })
	if p := r.Private["code_path"]; p != "" {
		_ = os.Remove(p)
	}
	return nil
}

// FunctionOf resolves a function name, ARN or partial ARN to the function.
func FunctionOf(s *State, ref string) *Resource {
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.Split(ref, ":")
		if len(parts) >= 7 {
			name = parts[6]
		}
	}
	return s.Find("aws_lambda_function", name)
}

func createPermission(tx *Tx, r *Resource) error {
	a := r.Attrs
	fn := FunctionOf(tx.State, Str(a, "function_name"))
	if fn == nil {
		return lambdaError(http.StatusNotFound, "ResourceNotFoundException", "Function not found: %s", tx.arn("lambda", "function:"+Str(a, "function_name")))
	}
	sid := Str(a, "statement_id")
	if sid == "" {
		sid = uniqueName(Str(a, "statement_id_prefix"))
		if Str(a, "statement_id_prefix") == "" {
			sid = uniqueName("terraform-")
		}
		a["statement_id"] = sid
	}
	for _, p := range tx.List("aws_lambda_permission") {
		if Str(p.Attrs, "statement_id") == sid && FunctionOf(tx.State, Str(p.Attrs, "function_name")) == fn {
			return lambdaError(http.StatusConflict, "ResourceConflictException",
				"The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", sid)
		}
	}
	if Str(a, "action") == "" || Str(a, "principal") == "" {
		return lambdaError(http.StatusBadRequest, "ValidationException", "action and principal are required")
	}
	r.ID = sid
	for k, v := range map[string]any{"qualifier": "", "source_arn": "", "source_account": "", "event_source_token": "",
		"principal_org_id": "", "function_url_auth_type": "", "statement_id_prefix": ""} {
		setDefault(a, k, v)
	}
	return nil
}

// PermissionsOf lists the permission statements of a function.
func (s *State) PermissionsOf(fn *Resource) []*Resource {
	var out []*Resource
	for _, p := range s.List("aws_lambda_permission") {
		if FunctionOf(s, Str(p.Attrs, "function_name")) == fn {
			out = append(out, p)
		}
	}
	return out
}

func iamError(status int, code, format string, args ...any) *Error {
	return errorf(status, code, format, args...)
}

// NoSuchRole is IAM's error for an unknown role.
func NoSuchRole(name string) *Error {
	return iamError(http.StatusNotFound, "NoSuchEntity", "The role with name %s cannot be found.", name)
}

var iamNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

func createRole(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	if !iamNameRE.MatchString(name) {
		return iamError(http.StatusBadRequest, "ValidationError", "1 validation error detected: Value '%s' at 'roleName' failed to satisfy constraint", name)
	}
	if tx.Find("aws_iam_role", name) != nil {
		return iamError(http.StatusConflict, "EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	if !validJSON(Str(a, "assume_role_policy")) {
		return iamError(http.StatusBadRequest, "MalformedPolicyDocument", "This policy contains invalid Json")
	}
	setDefault(a, "path", "/")
	r.ID = name
	a["arn"] = tx.globalARN("iam", "role"+Str(a, "path")+name)
	a["unique_id"] = iamUniqueID("AROA")
	a["create_date"] = tx.Now.UTC().Format("2006-01-02T15:04:05Z")
	for k, v := range map[string]any{"max_session_duration": 3600, "description": "", "force_detach_policies": false,
		"permissions_boundary": "", "name_prefix": "", "managed_policy_arns": []any{}, "inline_policy": []any{}} {
		setDefault(a, k, v)
	}
	return nil
}

func updateRole(tx *Tx, old map[string]any, r *Resource) error {
	if !validJSON(Str(r.Attrs, "assume_role_policy")) {
		return iamError(http.StatusBadRequest, "MalformedPolicyDocument", "This policy contains invalid Json")
	}
	return nil
}

func removeRole(tx *Tx, r *Resource) error {
	force := Bool(r.Attrs, "force_detach_policies", false)
	for _, typ := range []string{"aws_iam_role_policy", "aws_iam_role_policy_attachment"} {
		for _, p := range tx.List(typ) {
			if Str(p.Attrs, "role") == r.ID && !force {
				return iamError(http.StatusConflict, "DeleteConflict", "Cannot delete entity, must delete policies first.")
			}
		}
		tx.removeWhere(typ, func(p *Resource) bool { return Str(p.Attrs, "role") == r.ID })
	}
	return nil
}

func createRolePolicy(tx *Tx, r *Resource) error {
	a := r.Attrs
	role := Str(a, "role")
	if tx.Find("aws_iam_role", role) == nil {
		return NoSuchRole(role)
	}
	name := nameOrPrefix(a, "name")
	if !validJSON(Str(a, "policy")) {
		return iamError(http.StatusBadRequest, "MalformedPolicyDocument", "This policy contains invalid Json")
	}
	r.ID = role + ":" + name
	return nil
}

func updateRolePolicy(tx *Tx, old map[string]any, r *Resource) error {
	if !validJSON(Str(r.Attrs, "policy")) {
		return iamError(http.StatusBadRequest, "MalformedPolicyDocument", "This policy contains invalid Json")
	}
	return nil
}

func createRolePolicyAttachment(tx *Tx, r *Resource) error {
	role := Str(r.Attrs, "role")
	if tx.Find("aws_iam_role", role) == nil {
		return NoSuchRole(role)
	}
	pol := Str(r.Attrs, "policy_arn")
	if !strings.HasPrefix(pol, "arn:aws:iam::") {
		return iamError(http.StatusBadRequest, "InvalidInput", "ARN %s is not valid.", pol)
	}
	r.ID = uniqueName(role + "-")
	return nil
}

func createPolicy(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	setDefault(a, "path", "/")
	if !validJSON(Str(a, "policy")) {
		return iamError(http.StatusBadRequest, "MalformedPolicyDocument", "This policy contains invalid Json")
	}
	arn := tx.globalARN("iam", "policy"+Str(a, "path")+name)
	if tx.Find("aws_iam_policy", arn) != nil {
		return iamError(http.StatusConflict, "EntityAlreadyExists", "A policy called %s already exists. Duplicate names are not allowed.", name)
	}
	r.ID = arn
	a["arn"] = arn
	a["policy_id"] = iamUniqueID("ANPA")
	a["attachment_count"] = 0
	setDefault(a, "description", "")
	return nil
}

var retentionDays = map[float64]bool{0: true, 1: true, 3: true, 5: true, 7: true, 14: true, 30: true, 60: true, 90: true,
	120: true, 150: true, 180: true, 365: true, 400: true, 545: true, 731: true, 1096: true, 1827: true, 2192: true,
	2557: true, 2922: true, 3288: true, 3653: true}

func createLogGroup(tx *Tx, r *Resource) error {
	a := r.Attrs
	name := nameOrPrefix(a, "name")
	if tx.Find("aws_cloudwatch_log_group", name) != nil {
		return errorf(http.StatusBadRequest, "ResourceAlreadyExistsException", "The specified log group already exists")
	}
	if err := checkLogGroup(a); err != nil {
		return err
	}
	r.ID = name
	a["arn"] = tx.arn("logs", "log-group:"+name)
	for k, v := range map[string]any{"retention_in_days": 0, "log_group_class": "STANDARD", "kms_key_id": "",
		"skip_destroy": false, "name_prefix": ""} {
		setDefault(a, k, v)
	}
	return nil
}

func checkLogGroup(a map[string]any) error {
	if !retentionDays[Num(a, "retention_in_days", 0)] {
		return errorf(http.StatusBadRequest, "InvalidParameterException", "1 validation error detected: Value '%v' at 'retentionInDays' failed to satisfy constraint", a["retention_in_days"])
	}
	return nil
}

func updateLogGroup(tx *Tx, old map[string]any, r *Resource) error { return checkLogGroup(r.Attrs) }

func removeLogGroup(tx *Tx, r *Resource) error {
	kept := tx.LogEvents[:0]
	for _, e := range tx.LogEvents {
		if e.Group != r.ID {
			kept = append(kept, e)
		}
	}
	tx.LogEvents = kept
	return nil
}
