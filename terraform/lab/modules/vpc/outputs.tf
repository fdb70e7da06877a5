output "vpc_id" {
  description = "ID of the lab VPC."
  value       = aws_vpc.lab.id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the lab VPC."
  value       = aws_vpc.lab.cidr_block
}

# Waits for the route to the internet gateway: anything placed in this subnet (the instances,
# and through them the Elastic IP) needs that route to work, so consumers of the subnet id must
# not be created before it exists.
output "subnet_id" {
  description = "ID of the public subnet, available once its internet route is in place."
  value       = aws_subnet.public.id

  depends_on = [aws_route_table_association.public]
}

output "availability_zone" {
  description = "Availability zone of the public subnet."
  value       = aws_subnet.public.availability_zone
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.lab.id
}

output "initial_sg_id" {
  description = "ID of INITIAL_SG, the security group both instances start in."
  value       = aws_security_group.initial.id
}
