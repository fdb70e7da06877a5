# Fails the way an AWS API call does: the message is what the AWS provider
# reports for a missing permission, so the hint mapping sees real
# terraform diagnostics.
resource "terraform_data" "bad" {
  provisioner "local-exec" {
    command = "echo 'operation error EC2: CreateVpc, https response error StatusCode: 403, api error UnauthorizedOperation: User: arn:aws:iam::123456789012:user/learner is not authorized to perform: ec2:CreateVpc' >&2; exit 3"
  }
}
